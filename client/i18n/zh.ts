/**
 * Chinese (zh-CN) — the default language and the source of the message keys: `en.ts` must have
 * exactly these keys (checked by TypeScript). `{name}` marks a value filled in by `t()`.
 */
export const zh = {
  'app.title': '园区用地一张图',
  'app.subtitle': '广州市价值创新园区',
  'app.loading': '加载中…',
  'app.skipToMap': '跳到地图',

  'lang.switch': 'English',
  'lang.switchLabel': '切换为英文界面',

  'sample.badge': '示例数据',
  'sample.explain':
    '当前显示的是演示用示例数据：地块由程序按固定种子生成，园区边界为示意范围，数字不代表真实的用地或资金情况。',
  'sample.dataAsOf': '数据日期：{date}',

  'legend.title': '图例',
  'legend.show': '显示图例',
  'legend.hide': '收起图例',
  'legend.parks': '价值创新园（按产业）',
  'legend.mixed': '多产业园区（斜纹、外圈为第二产业）',
  'legend.plots': '地块（按供地状态）',
  'legend.plotsHint': '放大到 {zoom} 级以上显示地块',

  'sector.ngit': '新一代信息技术',
  'sector.ai': '人工智能',
  'sector.biomed': '生物医药',

  'status.available': '可供地',
  'status.held': '预留中',
  'status.allocated': '已供地',
  'status.withdrawn': '已收回',

  'tier.core': '核心园区',
  'tier.equal_policy': '同等享受政策园区',
  'tier.recognized': '认定园区',

  'landUse.M0': 'M0 新型产业用地',
  'landUse.M1': 'M1 一类工业用地',
  'landUse.M2': 'M2 二类工业用地',
  'landUse.M3': 'M3 三类工业用地',

  'map.label': '园区用地地图',
  'map.zoomIn': '放大',
  'map.zoomOut': '缩小',
  'map.resetView': '全市视图',
  'map.loadError': '地图数据加载失败：{message}',

  'panel.label': '详情',
  'panel.close': '关闭详情',
  'panel.loading': '加载中…',
  'panel.error': '加载失败：{message}',
  'panel.retry': '重试',

  'park.kind': '价值创新园',
  'park.district': '所在区',
  'park.tier': '园区类别',
  'park.sectors': '主导产业',
  'park.recognizedYear': '认定年份',
  'park.area': '园区面积',
  'park.indicative': '示意边界',
  'park.indicativeNote': '本园区边界为依据公开资料绘制的示意范围，并非测绘边界，仅供参考。',
  'park.figures': '用地概况',
  'park.plotCount': '地块数',
  'park.totalArea': '地块总面积',
  'park.byStatus': '地块状态（宗）',
  'park.subsidy': '园区扶持资金',
  'park.subsidyCap': '上限',
  'park.subsidyGranted': '已核定',
  'park.subsidyRemaining': '剩余额度',
  'park.plotsHint': '放大地图可查看园区内各地块。',
  'park.showPlots': '放大到园区',

  'plot.kind': '地块',
  'plot.park': '所属园区',
  'plot.district': '所在区',
  'plot.status': '供地状态',
  'plot.area': '面积',
  'plot.landUse': '用地性质',
  'plot.landLevel': '土地级别',
  'plot.location': '坐落',
  'plot.plotRatio': '容积率',
  'plot.buildingDensity': '建筑密度',
  'plot.greenRatio': '绿地率',
  'plot.heightLimit': '建筑限高',
  'plot.serviced': '场地条件',
  'plot.servicedYes': '净地，已通平',
  'plot.servicedNo': '未完成通平',
  'plot.updatedAt': '更新时间',
  'plot.sample': '示例地块（程序生成）',
  'plot.showPark': '查看所属园区',

  'value.none': '—',
  'value.range': '{min} – {max}',
  'value.atMost': '≤ {value}',
  'value.atLeast': '≥ {value}',
  'value.level': '{level} 级',
  'value.count': '{n} 宗',

  'unit.m': '米',

  'notFound.title': '页面不存在',
  'notFound.back': '返回地图',
} as const;

export type MessageKey = keyof typeof zh;
export type Messages = Record<MessageKey, string>;
