/**
 * The audit trail in words: every action code the server records (`recordEvent` in server/**)
 * and every entity type, in Chinese and English. The audit page's pickers list them; a code not
 * here (a newer server) is shown as itself. tests/unit/client-audit-words.test.ts reads the
 * server's source and fails when an action the server emits has no words here. Pure data.
 */
import { DECISION_KINDS } from '../../../shared/contract/supervision.ts';
import { MILESTONE_KINDS } from '../../../shared/contract/allocations.ts';
import type { Locale } from '../../i18n/index.ts';

export interface Words {
  zh: string;
  en: string;
}

const MILESTONE_WORDS: Record<(typeof MILESTONE_KINDS)[number], Words> = {
  handed_over: { zh: '登记交地', en: 'Land handed over' },
  started: { zh: '登记开工', en: 'Construction started' },
  completed: { zh: '登记竣工', en: 'Construction completed' },
  production: { zh: '登记投产', en: 'Production started' },
  full_production: { zh: '登记达产', en: 'Full production reached' },
};

const DECISION_WORDS: Record<(typeof DECISION_KINDS)[number], Words> = {
  idle_fee: { zh: '决定征缴土地闲置费', en: 'Idle-land fee decided' },
  reclaim: { zh: '决定无偿收回', en: 'Reclaim without compensation decided' },
  no_action: { zh: '决定不予处置', en: 'No action decided' },
};

/** Action code → words, grouped by the entity they mostly concern (the picker's groups). */
export const AUDIT_ACTION_WORDS: Readonly<Record<string, Words>> = {
  'auth.login': { zh: '登录', en: 'Signed in' },
  'auth.login_failed': { zh: '登录失败', en: 'Sign-in failed' },
  'auth.logout': { zh: '退出登录', en: 'Signed out' },
  'auth.signup_refused': { zh: '拒绝注册', en: 'Sign-up refused' },
  'user.create': { zh: '新建用户', en: 'User created' },
  'user.update': { zh: '修改用户信息', en: 'User changed' },
  'user.disable': { zh: '停用用户', en: 'User disabled' },
  'user.enable': { zh: '启用用户', en: 'User enabled' },
  'user.password_reset': { zh: '管理员重置密码', en: 'Password reset by an administrator' },
  'user.password_change': { zh: '本人修改密码', en: 'Password changed by the user' },
  'user.sessions_revoke': { zh: '强制下线', en: 'Sessions revoked' },
  'plot.create': { zh: '新增地块', en: 'Plot created' },
  'plot.update': { zh: '修改地块', en: 'Plot changed' },
  'plot.withdraw': { zh: '收回地块', en: 'Plot withdrawn' },
  'plot.delete': { zh: '删除地块', en: 'Plot deleted' },
  'plot.split': { zh: '拆分地块', en: 'Plot split' },
  'plot.merge': { zh: '合并地块', en: 'Plots merged' },
  'import.preview': { zh: '预览导入', en: 'Import previewed' },
  'import.commit': { zh: '提交导入', en: 'Import committed' },
  'hold.create': { zh: '预留地块', en: 'Plot held' },
  'hold.release': { zh: '解除预留', en: 'Hold released' },
  'hold.expire': { zh: '预留到期', en: 'Hold expired' },
  'allocation.propose': { zh: '提出供地方案', en: 'Allocation proposed' },
  'allocation.approve': { zh: '批准供地', en: 'Allocation approved' },
  'allocation.cancel': { zh: '撤销供地', en: 'Allocation cancelled' },
  'allocation.contract': { zh: '签订出让合同', en: 'Land contract signed' },
  'allocation.supersede': { zh: '供地记录被替代', en: 'Allocation superseded' },
  'allocation.progress': { zh: '登记项目进度', en: 'Progress recorded' },
  'allocation.government_delay': { zh: '登记政府原因延误', en: 'Government delay recorded' },
  ...Object.fromEntries(MILESTONE_KINDS.map((k) => [`allocation.milestone.${k}`, MILESTONE_WORDS[k]])),
  'supervision.stage_changed': { zh: '闲置土地处置阶段变更', en: 'Idle-land stage changed' },
  ...Object.fromEntries(DECISION_KINDS.map((k) => [`supervision.decision.${k}`, DECISION_WORDS[k]])),
  'inspection.create': { zh: '派发现场核查', en: 'Inspection sent' },
  'inspection.visit': { zh: '登记现场核查', en: 'Inspection visit recorded' },
  'inspection.photo': { zh: '上传核查照片', en: 'Inspection photo added' },
  'inspection.close': { zh: '关闭现场核查', en: 'Inspection closed' },
  'performance.record': { zh: '录入亩均数据', en: 'Per-mu figures entered' },
  'performance.replace': { zh: '更正亩均数据', en: 'Per-mu figures corrected' },
  'performance.import': { zh: '导入亩均数据', en: 'Per-mu figures imported' },
  'performance.import_replace': { zh: '导入更正亩均数据', en: 'Per-mu figures replaced by import' },
  'grade_thresholds.publish': { zh: '发布亩均评价分档', en: 'Per-mu grade thresholds published' },
  'quota.set': { zh: '设定年度指标', en: 'Annual quota set' },
  'subsidy.grant': { zh: '核定园区补助', en: 'Park subsidy granted' },
  'subsidy.withdraw': { zh: '撤回园区补助', en: 'Park subsidy withdrawn' },
  'subsidy.disburse': { zh: '拨付园区补助', en: 'Park subsidy disbursed' },
  'park.recognize': { zh: '认定园区', en: 'Park recognised' },
  'park_project.create': { zh: '登记园区项目', en: 'Park project registered' },
  'operator_project.register': { zh: '登记运营主体项目', en: 'Park-operator project registered' },
  'hub.update': { zh: '修改交通枢纽', en: 'Transport hub changed' },
  'interest.create': { zh: '登记投资意向', en: 'Interest registered' },
  'interest.update': { zh: '处理投资意向', en: 'Interest handled' },
  'interest.convert_hold': { zh: '意向转为预留', en: 'Interest turned into a hold' },
  'interest.convert_proposal': { zh: '意向转为供地方案', en: 'Interest turned into a proposal' },
  'demand.created': { zh: '登记用地需求', en: 'Land demand recorded' },
  'demand.updated': { zh: '修改用地需求', en: 'Land demand changed' },
  'demand.closed': { zh: '关闭用地需求', en: 'Land demand closed' },
  'demand.held': { zh: '为需求预留地块', en: 'Plot held for a demand' },
  'demand.proposed': { zh: '为需求提出供地方案', en: 'Allocation proposed for a demand' },
  'reference.seed': { zh: '初始化参考数据', en: 'Reference data initialised' },
  'reference.version_add': { zh: '新增参考数据版本', en: 'Reference data version added' },
  'reference.parameter_confirm': { zh: '确认政策参数', en: 'Policy parameter confirmed' },
  'local_crs.create': { zh: '新增地方坐标系', en: 'Local coordinate system added' },
  'local_crs.delete': { zh: '删除地方坐标系', en: 'Local coordinate system removed' },
  'audit.rekeyed': { zh: '审计链更换密钥', en: 'Audit chain re-keyed' },
};

/** Entity type → words (the entity picker). */
export const AUDIT_ENTITY_WORDS: Readonly<Record<string, Words>> = {
  user: { zh: '用户', en: 'User' },
  plot: { zh: '地块', en: 'Plot' },
  plot_hold: { zh: '地块预留', en: 'Plot hold' },
  local_crs: { zh: '地方坐标系', en: 'Local coordinate system' },
  import: { zh: '导入', en: 'Import' },
  allocation: { zh: '供地', en: 'Allocation' },
  inspection: { zh: '现场核查', en: 'Inspection' },
  quota: { zh: '年度指标', en: 'Annual quota' },
  subsidy: { zh: '园区补助', en: 'Park subsidy' },
  park: { zh: '园区', en: 'Park' },
  park_project: { zh: '园区项目', en: 'Park project' },
  park_operator_project: { zh: '运营主体项目', en: 'Park-operator project' },
  hub: { zh: '交通枢纽', en: 'Transport hub' },
  interest: { zh: '投资意向', en: 'Interest' },
  land_demand: { zh: '用地需求', en: 'Land demand' },
  mu_grade_thresholds: { zh: '亩均评价分档', en: 'Per-mu grade thresholds' },
  reference_version: { zh: '参考数据版本', en: 'Reference data version' },
  audit: { zh: '审计链', en: 'Audit chain' },
};

/** A word table's entry in the locale, or null without one (also for auditChanges.ts). */
export const pick = (w: Words | undefined, locale: Locale) => (w ? (locale === 'en' ? w.en : w.zh) : null);

/** The words for an action code, or null when this client does not know it. */
export function actionWords(action: string, locale: Locale): string | null {
  return pick(Object.hasOwn(AUDIT_ACTION_WORDS, action) ? AUDIT_ACTION_WORDS[action] : undefined, locale);
}

/** The words for an entity type, or null. */
export function entityWords(entity: string, locale: Locale): string | null {
  return pick(Object.hasOwn(AUDIT_ENTITY_WORDS, entity) ? AUDIT_ENTITY_WORDS[entity] : undefined, locale);
}

/** The action picker's options: grouped by what they concern (the code's first part), in table order. */
export function actionGroups(locale: Locale): { label: string; actions: { code: string; label: string }[] }[] {
  const groups = new Map<string, { code: string; label: string }[]>();
  for (const [code, w] of Object.entries(AUDIT_ACTION_WORDS)) {
    const prefix = code.split('.')[0]!;
    const label = pick(GROUP_WORDS[prefix], locale) ?? prefix;
    if (!groups.has(label)) groups.set(label, []);
    groups.get(label)!.push({ code, label: locale === 'en' ? w.en : w.zh });
  }
  return [...groups].map(([label, actions]) => ({ label, actions }));
}

const GROUP_WORDS: Record<string, Words> = {
  auth: { zh: '登录', en: 'Sign-in' },
  user: { zh: '用户', en: 'Users' },
  plot: { zh: '地块', en: 'Plots' },
  import: { zh: '导入', en: 'Imports' },
  hold: { zh: '预留', en: 'Holds' },
  allocation: { zh: '供地', en: 'Allocations' },
  supervision: { zh: '批后监管', en: 'Supervision' },
  inspection: { zh: '现场核查', en: 'Inspections' },
  performance: { zh: '亩均评价', en: 'Per-mu evaluation' },
  grade_thresholds: { zh: '亩均评价', en: 'Per-mu evaluation' },
  quota: { zh: '年度指标', en: 'Quota' },
  subsidy: { zh: '园区补助', en: 'Subsidies' },
  park: { zh: '园区', en: 'Parks' },
  park_project: { zh: '园区', en: 'Parks' },
  operator_project: { zh: '园区', en: 'Parks' },
  hub: { zh: '交通枢纽', en: 'Hubs' },
  interest: { zh: '投资意向', en: 'Interests' },
  demand: { zh: '用地需求', en: 'Land demand' },
  reference: { zh: '参考数据', en: 'Reference data' },
  audit: { zh: '审计', en: 'Audit' },
};
