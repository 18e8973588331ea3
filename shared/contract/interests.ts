/**
 * Schemas of investors' interests, investor sign-up and "my interests" (API.md: POST
 * /api/interests is fixed). Bodies refuse unknown fields, except that POST /api/interests
 * accepts the form's honeypot field `website`, which must stay empty.
 */
import { Type, type Static } from 'typebox';
import { Id, Nullable } from './common.ts';
import { INTEREST_LIMITS, INTEREST_STATUSES } from '../interest.ts';
import { PROJECT_SECTORS, type PlotStatus } from '../domain.ts';
import { MAX_PASSWORD_LENGTH } from './auth.ts';
import { Allocation, Hold, Mode } from './allocations.ts';

export const InterestStatus = Type.Enum(INTEREST_STATUSES, { description: 'new · replied · converted (into a hold or a proposed allocation) · closed' });
export type InterestStatus = Static<typeof InterestStatus>;

export const CreateInterestBody = Type.Object(
  {
    plotId: Id,
    company: Type.String({ maxLength: INTEREST_LIMITS.company * 2, description: '企业名称, 1–200 characters' }),
    uscc: Type.String({ maxLength: 40, description: '统一社会信用代码: 18 characters, check character verified (GB 32100-2015)' }),
    contactName: Type.String({ maxLength: INTEREST_LIMITS.contactName * 2, description: '联系人, 1–100 characters' }),
    contactEmail: Type.Optional(Type.String({ maxLength: INTEREST_LIMITS.email, description: 'E-mail address; give it or contactPhone (or both)' })),
    contactPhone: Type.Optional(Type.String({ maxLength: INTEREST_LIMITS.phone, description: 'Mainland mobile (1[3-9] + 9 digits) or a landline with area code' })),
    message: Type.String({ maxLength: INTEREST_LIMITS.message * 2, description: 'What the company plans, ≤ 2000 characters (may be empty)' }),
    website: Type.Optional(Type.String({ maxLength: 500, description: 'Honeypot: leave it out or empty. A filled value is refused (400).' })),
  },
  { additionalProperties: false },
);
export type CreateInterestBody = Static<typeof CreateInterestBody>;

const InterestBase = {
  id: Type.Integer(),
  plotId: Type.Integer(),
  plotCode: Type.String(),
  parkNameZh: Type.String(),
  parkNameEn: Type.String(),
  company: Type.String(),
  uscc: Type.String(),
  contactName: Type.String(),
  contactEmail: Nullable(Type.String()),
  contactPhone: Nullable(Type.String()),
  message: Type.String(),
  status: InterestStatus,
  reply: Nullable(Type.String()),
  repliedAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
};

/** The sender's own view (POST answer, GET /api/me/interests). */
export const OwnInterest = Type.Object(InterestBase, { additionalProperties: false });
export type OwnInterest = Static<typeof OwnInterest>;
export const OwnInterestList = Type.Object({ items: Type.Array(OwnInterest), total: Type.Integer() });
export type OwnInterestList = Static<typeof OwnInterestList>;

/** The bureau's view (and a district officer's, read-only). */
export const BureauInterest = Type.Object(
  {
    ...InterestBase,
    plotStatus: Type.Unsafe<PlotStatus>(Type.String()),
    parkId: Type.Integer(),
    districtCode: Type.String(),
    repliedBy: Nullable(Type.String()),
    investorUsername: Nullable(Type.String({ description: 'The investor account that sent it; null when sent without an account' })),
    holdId: Nullable(Type.Integer()),
    allocationId: Nullable(Type.Integer()),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type BureauInterest = Static<typeof BureauInterest>;

export const InterestCounts = Type.Object({ new: Type.Integer(), replied: Type.Integer(), converted: Type.Integer(), closed: Type.Integer() });
export type InterestCounts = Static<typeof InterestCounts>;
export const BureauInterestList = Type.Object({ items: Type.Array(BureauInterest), total: Type.Integer(), counts: InterestCounts });
export type BureauInterestList = Static<typeof BureauInterestList>;

export const InterestsQuery = Type.Object(
  {
    plotId: Type.Optional(Id),
    status: Type.Optional(InterestStatus),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type InterestsQuery = Static<typeof InterestsQuery>;

export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type PageQuery = Static<typeof PageQuery>;

export const PatchInterestBody = Type.Object(
  {
    status: Type.Optional(Type.Enum(['new', 'replied', 'closed'] as const, { description: 'new · replied · closed (converted is set by the hold / propose actions)' })),
    reply: Type.Optional(Type.String({ maxLength: INTEREST_LIMITS.reply * 2, description: 'The bureau’s answer to the company, ≤ 2000 characters; sets status replied unless a status is given' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PatchInterestBody = Static<typeof PatchInterestBody>;

export const InterestHoldBody = Type.Object(
  {
    until: Type.String({ maxLength: 10, description: 'Last day of the hold, inclusive (YYYY-MM-DD, Asia/Shanghai)' }),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type InterestHoldBody = Static<typeof InterestHoldBody>;

export const InterestProposeBody = Type.Object(
  {
    quotaYear: Type.Integer({ minimum: 2000, maximum: 2100 }),
    mode: Mode,
    termYears: Type.Integer({ description: 'transfer: 50; flexible_term: 1–49; lease_then_transfer: the transfer part; long_term_lease: 5–20' }),
    leaseYears: Type.Optional(Type.Integer()),
    priceYuan: Type.Number({ description: 'Supply price (transfer modes) or the annual rent of a long-term lease, yuan' }),
    annualRentYuan: Type.Optional(Type.Number()),
    project: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 200, description: '项目名称' }),
        sector: Type.Enum(PROJECT_SECTORS, { description: 'ngit / ai / biomed (IAB) or other' }),
        iab: Type.Boolean(),
        subSector: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        plannedInvestmentYuan: Type.Optional(Type.Number()),
        keyProject: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false, description: 'The enterprise (name, USCC) is taken from the interest' },
    ),
  },
  { additionalProperties: false },
);
export type InterestProposeBody = Static<typeof InterestProposeBody>;

export const SignupBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 100, description: 'Becomes the username (ASCII letters, digits and . _ @ -)' }),
    password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH, description: 'At least 10 characters' }),
    company: Type.Optional(Type.String({ maxLength: 400 })),
    uscc: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type SignupBody = Static<typeof SignupBody>;

/** `POST /api/interests/:id/hold`: the interest, converted, and the hold made from it. */
export const InterestHoldResult = Type.Object({ interest: BureauInterest, hold: Hold });
export type InterestHoldResult = Static<typeof InterestHoldResult>;

/** `POST /api/interests/:id/propose`: the interest, converted, and the proposed allocation. */
export const InterestProposeResult = Type.Object({ interest: BureauInterest, allocation: Allocation });
export type InterestProposeResult = Static<typeof InterestProposeResult>;

/** `POST /api/auth/signup` answers 202 with this, the same for a free and a taken address. */
export const SignupAccepted = Type.Object({ accepted: Type.Literal(true), messageEn: Type.String(), messageZh: Type.String() });
export type SignupAccepted = Static<typeof SignupAccepted>;

export const InvestorProfile = Type.Object({
  username: Type.String(),
  company: Nullable(Type.String()),
  uscc: Nullable(Type.String()),
});
export type InvestorProfile = Static<typeof InvestorProfile>;
