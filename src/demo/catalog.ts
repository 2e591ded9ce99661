/**
 * The demo city: its service centers, departments and matters (事项), with the
 * promised and legal time limits and the special steps (特殊环节) each matter
 * typically stops the clock for. Modelled on a provincial capital (昆明) whose
 * 五华区 center publishes a monthly report of ~35,300 accepted cases.
 *
 * Over ~300 lines: it is data (a table of matters), not logic.
 */
import type { PauseReason } from '../domain/events.js';

export type CenterTier = 'city' | 'district' | 'street';

export interface Center {
  readonly id: string;
  /** Short code used in case ids (e.g. WH-20250922-00017). */
  readonly code: string;
  readonly name: string;
  readonly tier: CenterTier;
  /** The center above it in the directory (src/demo/directory.ts). */
  readonly parentId?: string;
  /** Relative volume, for the live feed and backlog (a district = 1). */
  readonly volume: number;
  /** The place its departments are named after (昆明市, 五华区, 华山街道); default: its name without the suffix. */
  readonly place?: string;
}

export const CENTERS: readonly Center[] = [
  {
    id: 'district-wuhua',
    code: 'WH',
    name: '五华区政务服务中心',
    tier: 'district',
    parentId: 'city',
    volume: 1,
    place: '五华区',
  },
  { id: 'city', code: 'KM', name: '昆明市政务服务中心', tier: 'city', volume: 0.8, place: '昆明市' },
  {
    id: 'district-panlong',
    code: 'PL',
    name: '盘龙区政务服务中心',
    tier: 'district',
    parentId: 'city',
    volume: 0.9,
    place: '盘龙区',
  },
  {
    id: 'district-guandu',
    code: 'GD',
    name: '官渡区政务服务中心',
    tier: 'district',
    parentId: 'city',
    volume: 1.1,
    place: '官渡区',
  },
  {
    id: 'district-xishan',
    code: 'XS',
    name: '西山区政务服务中心',
    tier: 'district',
    parentId: 'city',
    volume: 0.8,
    place: '西山区',
  },
  {
    id: 'street-huashan',
    code: 'HS',
    name: '五华区华山街道为民服务中心',
    tier: 'street',
    parentId: 'district-wuhua',
    volume: 0.25,
    place: '华山街道',
  },
  {
    id: 'street-huguo',
    code: 'HG',
    name: '五华区护国街道为民服务中心',
    tier: 'street',
    parentId: 'district-wuhua',
    volume: 0.2,
    place: '护国街道',
  },
  {
    id: 'street-tuodong',
    code: 'TD',
    name: '盘龙区拓东街道为民服务中心',
    tier: 'street',
    parentId: 'district-panlong',
    volume: 0.25,
    place: '拓东街道',
  },
];

/**
 * A kind of department (公安, 人社 …). Every center has its own departments, one
 * per kind its matters need, named for its level: 昆明市公安局, 五华区公安分局,
 * 华山街道派出所户籍窗口 (`departmentsOf`). A case names its own center's one.
 */
export interface DepartmentKind {
  readonly id: string;
  readonly name: string;
  /** The city's department, after the place: 昆明市 + 公安局. */
  readonly city: string;
  /** A district's (as its report names it, 区 + 公安分局). */
  readonly district: string;
  /** A street center's window or office (街道 + 派出所户籍窗口), for the kinds a street handles. */
  readonly street?: string;
}

export const DEPARTMENT_KINDS: readonly DepartmentKind[] = [
  {
    id: 'market-regulation',
    name: '市场监督管理局',
    city: '市场监管局',
    district: '市场监管局',
    street: '市场监管窗口',
  },
  { id: 'housing-construction', name: '住房和城乡建设局', city: '住建局', district: '住建局' },
  { id: 'public-security', name: '公安局', city: '公安局', district: '公安分局', street: '派出所户籍窗口' },
  { id: 'human-resources', name: '人力资源和社会保障局', city: '人社局', district: '人社局', street: '社保就业窗口' },
  { id: 'real-estate-registration', name: '不动产登记中心', city: '不动产登记中心', district: '不动产登记中心' },
  { id: 'taxation', name: '税务局', city: '税务局', district: '税务局' },
  { id: 'health', name: '卫生健康委员会', city: '卫健委', district: '卫健局' },
  { id: 'natural-resources', name: '自然资源和规划局', city: '自然资源和规划局', district: '自然资源局' },
  { id: 'ecology-environment', name: '生态环境局', city: '生态环境局', district: '生态环境分局' },
  { id: 'transport', name: '交通运输局', city: '交通运输局', district: '交通运输局' },
  { id: 'agriculture', name: '农业农村局', city: '农业农村局', district: '农业农村局' },
  { id: 'civil-affairs', name: '民政局', city: '民政局', district: '民政局', street: '社会事务窗口' },
  { id: 'medical-security', name: '医疗保障局', city: '医保局', district: '医保局', street: '医保窗口' },
  { id: 'water-resources', name: '水务局', city: '水务局', district: '水务局' },
  { id: 'urban-management', name: '城市管理局', city: '城管局', district: '城管局', street: '城市管理科' },
];

/** The department of kind `kind` at `center`: its id names both (`district-guandu.public-security`). */
export const departmentIdOf = (center: Pick<Center, 'id'>, kind: string): string => `${center.id}.${kind}`;

/** The place a center's departments are named after: 昆明市, 五华区, 华山街道. */
export const placeOf = (center: Center): string =>
  center.place ?? center.name.replace(/(政务服务中心|为民服务中心)$/, '');

export interface CenterDepartment {
  readonly departmentId: string;
  readonly kind: string;
  /** 昆明市公安局, 官渡区公安分局, 华山街道派出所户籍窗口. */
  readonly name: string;
}

const levelName = (center: Center, k: DepartmentKind): string =>
  center.tier === 'city' ? k.city : center.tier === 'district' ? k.district : (k.street ?? k.district);

/** The name of the department of kind `kind` at `center` (昆明市公安局, 官渡区公安分局, 华山街道派出所户籍窗口). */
export function departmentNameOf(center: Center, kind: string): string {
  const k = DEPARTMENT_KINDS.find((x) => x.id === kind);
  return `${placeOf(center)}${k === undefined ? kind : levelName(center, k)}`;
}

/** A center's own departments: one per kind of the matters its tier handles, in the kinds' order. */
export function departmentsOf(center: Center): CenterDepartment[] {
  const kinds = new Set(MATTERS.filter((x) => x.tiers.includes(center.tier)).map((x) => x.departmentKind));
  return DEPARTMENT_KINDS.filter((k) => kinds.has(k.id)).map((k) => ({
    departmentId: departmentIdOf(center, k.id),
    kind: k.id,
    name: `${placeOf(center)}${levelName(center, k)}`,
  }));
}

/** A special step that stops the clock: how often it happens and the days declared in writing. */
export interface SpecialStep {
  readonly reason: PauseReason;
  readonly probability: number;
  /** Days promised to the applicant in writing (art. 45); absent: the policy default applies. */
  readonly declaredDays?: number;
  /** Runs in parallel with the previous step (e.g. 检测 and 专家评审). */
  readonly parallel?: boolean;
}

export interface Matter {
  readonly code: string;
  readonly name: string;
  /** The kind of department that handles it; a case names its center's department of that kind (departmentIdOf). */
  readonly departmentKind: string;
  /** 0 for 即办件. */
  readonly promisedDays: number;
  readonly legalDays: number;
  readonly category: 'licensing' | 'public-service';
  /** Relative volume within its group (instant or not). */
  readonly weight: number;
  readonly tiers: readonly CenterTier[];
  /** Share handled as 联办件 (joint) or 上报件 (referred); the rest are 承诺件. */
  readonly jointShare?: number;
  readonly referred?: boolean;
  readonly onlineShare: number;
  /** Chance of a 补正 (supplement) pause for a promised case. */
  readonly supplement: number;
  readonly steps: readonly SpecialStep[];
}

const ALL: readonly CenterTier[] = ['city', 'district', 'street'];
const CD: readonly CenterTier[] = ['city', 'district'];
const C: readonly CenterTier[] = ['city'];
const DS: readonly CenterTier[] = ['district', 'street'];

const m = (
  code: string,
  name: string,
  departmentKind: string,
  promisedDays: number,
  legalDays: number,
  category: Matter['category'],
  weight: number,
  tiers: readonly CenterTier[],
  extra: Partial<Pick<Matter, 'jointShare' | 'referred' | 'onlineShare' | 'supplement' | 'steps'>> = {},
): Matter => ({
  code,
  name,
  departmentKind,
  promisedDays,
  legalDays,
  category,
  weight,
  tiers,
  onlineShare: extra.onlineShare ?? 0.35,
  supplement: extra.supplement ?? (promisedDays === 0 ? 0.02 : 0.08),
  steps: extra.steps ?? [],
  ...(extra.jointShare === undefined ? {} : { jointShare: extra.jointShare }),
  ...(extra.referred === undefined ? {} : { referred: extra.referred }),
});

export const MATTERS: readonly Matter[] = [
  // 市场监管
  m('XK-SCJG-001', '企业设立登记', 'market-regulation', 1, 15, 'licensing', 6, CD, {
    jointShare: 0.15,
    onlineShare: 0.7,
  }),
  m('XK-SCJG-002', '企业变更登记', 'market-regulation', 1, 15, 'licensing', 5, CD, { onlineShare: 0.6 }),
  m('XK-SCJG-003', '个体工商户设立登记', 'market-regulation', 0, 15, 'licensing', 5, ALL, { onlineShare: 0.5 }),
  m('XK-SCJG-004', '食品经营许可证核发', 'market-regulation', 7, 20, 'licensing', 4, CD, {
    supplement: 0.12,
    steps: [{ reason: 'site-survey', probability: 0.25, declaredDays: 5 }],
  }),
  m('XK-SCJG-005', '药品零售企业经营许可', 'market-regulation', 15, 30, 'licensing', 0.5, CD, {
    supplement: 0.15,
    steps: [{ reason: 'site-survey', probability: 0.4, declaredDays: 10 }],
  }),
  m('XK-SCJG-006', '特种设备使用登记', 'market-regulation', 5, 15, 'licensing', 1, CD, {
    steps: [{ reason: 'inspection', probability: 0.12, declaredDays: 10 }],
  }),
  // 住建
  m('XK-ZJJ-001', '建筑工程施工许可证核发', 'housing-construction', 5, 15, 'licensing', 1, CD, {
    jointShare: 0.2,
    supplement: 0.2,
  }),
  m('XK-ZJJ-002', '商品房预售许可', 'housing-construction', 10, 20, 'licensing', 0.3, CD, {
    steps: [{ reason: 'site-survey', probability: 0.5, declaredDays: 5 }],
  }),
  m('GG-ZJJ-003', '建设工程竣工验收备案', 'housing-construction', 3, 15, 'public-service', 1, CD),
  m('XK-ZJJ-004', '建筑业企业资质核准', 'housing-construction', 15, 20, 'licensing', 0.3, C, {
    referred: true,
    steps: [{ reason: 'expert-review', probability: 0.3, declaredDays: 15 }],
  }),
  // 公安
  m('GG-GAJ-001', '居民身份证换领', 'public-security', 20, 60, 'public-service', 6, ALL, {
    onlineShare: 0.05,
    supplement: 0.01,
  }),
  m('GG-GAJ-002', '户口迁移', 'public-security', 5, 20, 'public-service', 3, DS, { onlineShare: 0.2 }),
  m('GG-GAJ-003', '无犯罪记录证明开具', 'public-security', 0, 5, 'public-service', 2, ALL, { onlineShare: 0.6 }),
  m('XK-GAJ-004', '普通护照签发', 'public-security', 7, 15, 'licensing', 2, CD, { onlineShare: 0.1, supplement: 0.03 }),
  // 人社
  m('GG-RSJ-001', '社会保障卡申领', 'human-resources', 0, 5, 'public-service', 5, ALL, { onlineShare: 0.5 }),
  m('GG-RSJ-002', '失业保险金申领', 'human-resources', 5, 20, 'public-service', 3, DS, { supplement: 0.1 }),
  m('GG-RSJ-003', '就业创业证申领', 'human-resources', 0, 5, 'public-service', 3, ALL),
  m('GG-RSJ-004', '职工正常退休审批', 'human-resources', 15, 20, 'public-service', 1.5, CD, { supplement: 0.15 }),
  m('XK-RSJ-005', '人力资源服务许可', 'human-resources', 10, 20, 'licensing', 0.2, CD, {
    steps: [{ reason: 'site-survey', probability: 0.3, declaredDays: 5 }],
  }),
  // 不动产登记
  m('GG-BDC-001', '不动产首次登记', 'real-estate-registration', 5, 30, 'public-service', 1.5, CD, {
    steps: [{ reason: 'public-notice', probability: 0.9, declaredDays: 15 }],
  }),
  m('GG-BDC-002', '不动产转移登记', 'real-estate-registration', 3, 30, 'public-service', 10, CD, { supplement: 0.08 }),
  m('GG-BDC-003', '不动产抵押登记', 'real-estate-registration', 1, 30, 'public-service', 6, CD, { onlineShare: 0.6 }),
  m('GG-BDC-004', '不动产登记资料查询', 'real-estate-registration', 0, 5, 'public-service', 4, CD),
  // 税务
  m('GG-SWJ-001', '发票领用', 'taxation', 0, 5, 'public-service', 4, CD, { onlineShare: 0.7 }),
  m('GG-SWJ-002', '增值税留抵退税', 'taxation', 10, 20, 'public-service', 1, CD, { onlineShare: 0.6, supplement: 0.1 }),
  m('GG-SWJ-003', '纳税证明开具', 'taxation', 0, 5, 'public-service', 2, CD, { onlineShare: 0.7 }),
  m('GG-SWJ-004', '税务注销', 'taxation', 3, 20, 'public-service', 1.5, CD),
  // 卫健
  m('XK-WJW-001', '公共场所卫生许可', 'health', 10, 20, 'licensing', 1.5, CD, {
    steps: [
      { reason: 'site-survey', probability: 0.5, declaredDays: 5 },
      { reason: 'testing', probability: 0.1, declaredDays: 10, parallel: true },
    ],
  }),
  m('XK-WJW-002', '医疗机构执业登记', 'health', 20, 45, 'licensing', 0.2, C, {
    steps: [
      { reason: 'site-survey', probability: 0.5, declaredDays: 10 },
      { reason: 'expert-review', probability: 0.5, declaredDays: 15, parallel: true },
    ],
  }),
  m('GG-WJW-003', '出生医学证明补发', 'health', 0, 20, 'public-service', 1, CD),
  // 自然资源和规划
  m('XK-ZRZY-001', '建设工程规划许可证核发', 'natural-resources', 10, 20, 'licensing', 0.5, CD, {
    steps: [
      { reason: 'expert-review', probability: 0.3, declaredDays: 10 },
      { reason: 'public-notice', probability: 0.6, declaredDays: 7 },
    ],
  }),
  m('XK-ZRZY-002', '建设用地规划许可证核发', 'natural-resources', 10, 20, 'licensing', 0.2, CD, {
    steps: [{ reason: 'public-notice', probability: 0.5, declaredDays: 7 }],
  }),
  m('XK-ZRZY-003', '国有建设用地使用权出让', 'natural-resources', 20, 60, 'licensing', 0.05, C, {
    jointShare: 0.5,
    steps: [
      { reason: 'auction', probability: 0.6, declaredDays: 20 },
      { reason: 'tender', probability: 0.3, declaredDays: 20 },
    ],
  }),
  // 生态环境
  m('XK-STHJ-001', '建设项目环评审批（报告书）', 'ecology-environment', 30, 60, 'licensing', 0.1, C, {
    steps: [
      { reason: 'expert-review', probability: 0.9, declaredDays: 20 },
      { reason: 'public-notice', probability: 0.8, declaredDays: 5 },
      { reason: 'hearing', probability: 0.05 },
    ],
  }),
  m('XK-STHJ-002', '建设项目环评审批（报告表）', 'ecology-environment', 15, 30, 'licensing', 0.5, CD, {
    steps: [{ reason: 'expert-review', probability: 0.5, declaredDays: 10 }],
  }),
  m('XK-STHJ-003', '排污许可证核发', 'ecology-environment', 20, 30, 'licensing', 0.3, CD, {
    steps: [{ reason: 'site-survey', probability: 0.4, declaredDays: 5 }],
  }),
  // 交通运输
  m('XK-JTJ-001', '道路货物运输经营许可', 'transport', 10, 20, 'licensing', 0.8, CD, { supplement: 0.1 }),
  m('XK-JTJ-002', '巡游出租汽车驾驶员从业资格注册', 'transport', 5, 20, 'licensing', 0.5, CD),
  // 农业农村
  m('XK-NYJ-001', '动物防疫条件合格证核发', 'agriculture', 10, 20, 'licensing', 0.3, CD, {
    steps: [
      { reason: 'site-survey', probability: 0.6, declaredDays: 5 },
      { reason: 'quarantine', probability: 0.1, declaredDays: 10, parallel: true },
    ],
  }),
  m('XK-NYJ-002', '植物检疫证书核发', 'agriculture', 5, 20, 'licensing', 0.3, CD, {
    steps: [{ reason: 'quarantine', probability: 0.5, declaredDays: 5 }],
  }),
  m('XK-NYJ-003', '农药经营许可', 'agriculture', 10, 20, 'licensing', 0.2, CD),
  // 民政
  m('GG-MZJ-001', '婚姻登记', 'civil-affairs', 0, 1, 'public-service', 3, CD, { onlineShare: 0.02 }),
  m('GG-MZJ-002', '最低生活保障审核确认', 'civil-affairs', 20, 30, 'public-service', 0.8, DS, {
    onlineShare: 0.1,
    steps: [
      { reason: 'site-survey', probability: 0.7, declaredDays: 5 },
      { reason: 'public-notice', probability: 0.8, declaredDays: 7 },
    ],
  }),
  m('XK-MZJ-003', '社会团体成立登记', 'civil-affairs', 30, 60, 'licensing', 0.05, C, {
    steps: [{ reason: 'appraisal', probability: 0.3, declaredDays: 10 }],
  }),
  m('GG-MZJ-004', '老年人优待证办理', 'civil-affairs', 0, 5, 'public-service', 2, DS, { onlineShare: 0.1 }),
  // 医保
  m('GG-YBJ-001', '基本医疗保险关系转移接续', 'medical-security', 10, 15, 'public-service', 2, ALL, {
    onlineShare: 0.5,
  }),
  m('GG-YBJ-002', '异地就医备案', 'medical-security', 0, 5, 'public-service', 3, ALL, { onlineShare: 0.8 }),
  // 水务
  m('XK-SWJ-001', '取水许可', 'water-resources', 20, 45, 'licensing', 0.1, CD, {
    steps: [
      { reason: 'appraisal', probability: 0.5, declaredDays: 15 },
      { reason: 'expert-review', probability: 0.5, declaredDays: 10, parallel: true },
    ],
  }),
  m('XK-SWJ-002', '城镇污水排入排水管网许可', 'water-resources', 10, 20, 'licensing', 0.4, CD, {
    steps: [{ reason: 'testing', probability: 0.3, declaredDays: 7 }],
  }),
  // 城管
  m('XK-CGJ-001', '户外广告设施设置审批', 'urban-management', 10, 20, 'licensing', 0.5, CD, {
    steps: [
      { reason: 'site-survey', probability: 0.3, declaredDays: 3 },
      { reason: 'public-notice', probability: 0.3, declaredDays: 5 },
    ],
  }),
  m('XK-CGJ-002', '城市建筑垃圾处置核准', 'urban-management', 10, 20, 'licensing', 0.4, CD, {
    steps: [{ reason: 'site-survey', probability: 0.4, declaredDays: 3 }],
  }),
  m('XK-CGJ-003', '临时占用城市道路审批', 'urban-management', 5, 20, 'licensing', 0.5, DS),
];

/** Share of 即办件 among accepted cases, by center tier (a district ≈ 15%, as in real reports). */
export const INSTANT_SHARE: Readonly<Record<CenterTier, number>> = { city: 0.1, district: 0.15, street: 0.4 };

export interface MatterMix {
  readonly instant: readonly (readonly [Matter, number])[];
  readonly promised: readonly (readonly [Matter, number])[];
  readonly instantShare: number;
}

/** The matters a center of this tier handles, split into the instant and the promised group. */
export function matterMix(tier: CenterTier): MatterMix {
  const own = MATTERS.filter((x) => x.tiers.includes(tier));
  return {
    instant: own.filter((x) => x.promisedDays === 0).map((x) => [x, x.weight] as const),
    promised: own.filter((x) => x.promisedDays > 0).map((x) => [x, x.weight] as const),
    instantShare: INSTANT_SHARE[tier],
  };
}
