/**
 * The policy rules of POLICY.md as pure functions (server and client call the same code).
 * Clauses: 五(三)11 quota · 五(三)13 subsidy, facilities · 五(三)14 price floor, rent ·
 * 五(一)2,4 / 五(二)7,9,10 / 五(四)15 incentives · 闲置土地处置办法 idle land ·
 * 标准地 conditions and 亩均 evaluation (supervision after the sale). Each decides a whole outcome and returns a
 * structured result (which checks apply to a supply mode, a term rule, decoded parameters);
 * callers render the words. Units, money and USCC live one level up.
 */
export * from './parameters.ts';
export * from './parameter-codec.ts';
export * from './national-minimum.ts';
export * from './price-floor.ts';
export * from './supply-terms.ts';
export * from './supply-floors.ts';
export * from './floor-disclosure.ts';
export * from './provincial-minimum.ts';
export * from './quota.ts';
export * from './subsidy.ts';
export * from './facilities.ts';
export * from './incentives.ts';
export * from './green-channel.ts';
export * from './idle-land.ts';
export * from './standard-land.ts';
export * from './mu-evaluation.ts';
export * from './siting.ts';
export * from './parcel-code.ts';
