/**
 * An investor's expression of interest in a plot (意向登记): the fields, their limits and their
 * checks, pure, so the browser form and the server refuse the same things with the same words.
 *
 * - company (企业名称) 1–200 characters; 统一社会信用代码 checked by GB 32100-2015 (./uscc.ts);
 * - contact name 1–100; an e-mail address or a phone number (at least one): a mainland mobile
 *   `1[3-9]` + 9 digits, or a landline with its area code (`020-12345678`, extension allowed);
 * - message ≤ 2000 characters.
 * Text is trimmed, control characters (other than line breaks and tabs in the message) are
 * refused, and nothing is interpreted as markup anywhere: the client renders text, never HTML.
 */
import { validateUscc } from './uscc.ts';

export const INTEREST_STATUSES = ['new', 'replied', 'converted', 'closed'] as const;
export type InterestStatus = (typeof INTEREST_STATUSES)[number];

export const INTEREST_LIMITS = {
  company: 200,
  contactName: 100,
  email: 254,
  phone: 30,
  message: 2000,
  reply: 2000,
} as const;

export interface InterestInput {
  plotId: number;
  company: string;
  uscc: string;
  contactName: string;
  contactEmail?: string | undefined;
  contactPhone?: string | undefined;
  message?: string | undefined;
}

export interface NormalizedInterest {
  plotId: number;
  company: string;
  uscc: string;
  contactName: string;
  contactEmail: string | null;
  contactPhone: string | null;
  message: string;
}

export type InterestField = 'plotId' | 'company' | 'uscc' | 'contactName' | 'contactEmail' | 'contactPhone' | 'contact' | 'message';

export interface FieldProblem {
  field: InterestField;
  messageZh: string;
  messageEn: string;
}

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- a message may have line breaks and tabs, nothing else
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Pragmatic e-mail shape: something@domain.tld, no spaces. Delivery is the real test. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/;

export function isEmail(s: string): boolean {
  return s.length <= INTEREST_LIMITS.email && EMAIL_PATTERN.test(s);
}

/**
 * A phone number with spaces, brackets and a +86 / 0086 prefix dropped, or null when it is
 * neither a mainland mobile nor a landline with area code:
 * "+86 138 0013 8000" → "13800138000", "(020) 8888 6666" → "02088886666", "020-88886666-123" kept.
 */
export function normalizePhone(input: string): string | null {
  const s = input.trim().replace(/[\s()（）]/g, '').replace(/^(\+86|0086)-?/, '');
  return MOBILE.test(s) || LANDLINE.test(s) ? s : null;
}

function textProblem(field: InterestField, value: string, max: number, label: { zh: string; en: string }, required: boolean, multiline = false): FieldProblem | null {
  const chars = [...value].length;
  if (required && chars === 0) return { field, messageZh: `请填写${label.zh}`, messageEn: `${label.en} is required` };
  if (chars > max) return { field, messageZh: `${label.zh}最多 ${max} 个字符（现有 ${chars} 个）`, messageEn: `${label.en} may have at most ${max} characters (has ${chars})` };
  if ((multiline ? CONTROL_IN_TEXT : CONTROL).test(value) || LONE_SURROGATE.test(value)) {
    return { field, messageZh: `${label.zh}含有无法保存的控制字符`, messageEn: `${label.en} contains control characters that cannot be stored` };
  }
  return null;
}

/**
 * Checks and normalizes an interest. Returns every problem found (one per field), so a form can
 * mark all of them at once; `ok` only when there is none.
 */
export function validateInterest(input: InterestInput): { ok: true; value: NormalizedInterest } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const company = input.company.trim();
  const contactName = input.contactName.trim();
  const message = (input.message ?? '').replace(/\r\n?/g, '\n').trim();
  const email = (input.contactEmail ?? '').trim();
  const phoneRaw = (input.contactPhone ?? '').trim();

  if (!Number.isInteger(input.plotId) || input.plotId < 1) problems.push({ field: 'plotId', messageZh: '请选择地块', messageEn: 'Choose a plot' });
  const pc = textProblem('company', company, INTEREST_LIMITS.company, { zh: '企业名称', en: 'Company name' }, true);
  if (pc) problems.push(pc);
  const u = validateUscc(input.uscc);
  if (!u.ok) problems.push({ field: 'uscc', messageZh: u.messageZh, messageEn: u.messageEn });
  const pn = textProblem('contactName', contactName, INTEREST_LIMITS.contactName, { zh: '联系人', en: 'Contact name' }, true);
  if (pn) problems.push(pn);
  if (email && !isEmail(email)) problems.push({ field: 'contactEmail', messageZh: '电子邮箱格式不正确', messageEn: 'The e-mail address is not valid' });
  const phone = phoneRaw ? normalizePhone(phoneRaw) : null;
  if (phoneRaw && !phone) {
    problems.push({
      field: 'contactPhone',
      messageZh: '请填写 11 位手机号或带区号的固定电话（如 020-88886666）',
      messageEn: 'Give an 11-digit mainland mobile number or a landline with its area code (e.g. 020-88886666)',
    });
  }
  if (!email && !phoneRaw) problems.push({ field: 'contact', messageZh: '请至少填写电子邮箱或电话之一', messageEn: 'Give an e-mail address or a phone number (or both)' });
  const pm = textProblem('message', message, INTEREST_LIMITS.message, { zh: '留言', en: 'Message' }, false, true);
  if (pm) problems.push(pm);

  if (problems.length > 0 || !u.ok) return { ok: false, problems };
  return { ok: true, value: { plotId: input.plotId, company, uscc: u.normalized, contactName, contactEmail: email || null, contactPhone: phone, message } };
}

/** A bureau reply: trimmed, ≤ 2000 characters, line breaks allowed. */
export function replyProblem(reply: string): FieldProblem | null {
  return textProblem('message', reply.trim(), INTEREST_LIMITS.reply, { zh: '答复', en: 'Reply' }, false, true);
}
