/** zh-CN strings for issue #18 part 5: the map panel's links, location maps and 界址点 tables, the audit pickers (spread into client/i18n/zh.ts). */
export const locateZh = {
  'panelLinks.label': '地块后续操作',
  'panelLinks.sheet': '地块信息表',
  'panelLinks.interest': '登记投资意向',
  'panelLinks.compare': '加入对比',
  'panelLinks.compareN': '对比（{n} 宗）',

  'locate.title': '位置示意图与界址点',
  'locate.plotMapTitle': '地块 {code} 位置示意图',
  'locate.plotMapCaption': '红色为本宗地，灰色为周边地块；据地块数据离线绘制，非测绘成果。',
  'locate.parkMapTitle': '{name} 位置示意图',
  'locate.parkMapCaption': '红色虚线为园区范围，地块按状态着色；据地块数据离线绘制。',
  'locate.north': '北',
  'locate.km': '千米',
  'locate.pointsCaption': '界址点坐标（CGCS2000 3 度带高斯投影，中央经线 114°，EPSG:4547；X 为纵坐标北，Y 为横坐标东，单位：米）',
  'locate.pointNo': '点号',
  'locate.x': 'X（北）',
  'locate.y': 'Y（东）',
  'locate.side': '边长（米）',
  'locate.floorWithheld': '底价测算含成本等内部信息，不随地块信息表打印。',

  'auditUi.anyAction': '全部操作',
  'auditUi.anyEntity': '全部类型',
  'auditUi.anyone': '全部人员',
  'auditUi.fromDay': '起始日期',
  'auditUi.toDay': '截止日期（含）',
  'auditUi.atBeijing': '时间（北京时间）',
  'auditUi.timeZoneNote': '时间均为北京时间（UTC+8）。',

  'money.exact': '精确金额：{value}',
};
