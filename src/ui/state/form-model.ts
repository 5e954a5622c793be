// The elicitation form without React: fields read from MCP's restricted schema (a flat object of
// strings, numbers, booleans and enums), their values, validation, and the content sent back on accept.
import { isCredentialName } from '../../config/secrets.js';
import { safeLine, terminalSafe } from '../../output/safe-text.js';

export interface Choice {
  value: string;
  label: string;
}

interface BaseField {
  name: string;
  label: string;
  description?: string;
  required: boolean;
  /** Its value is masked wherever it is shown after the dialog (transcript). */
  secret: boolean;
}

export type StringFormat = 'email' | 'uri' | 'date' | 'date-time';

export type FormField =
  | (BaseField & { kind: 'text'; format?: StringFormat; minLength?: number; maxLength?: number; default?: string })
  | (BaseField & { kind: 'number'; integer: boolean; minimum?: number; maximum?: number; default?: number })
  | (BaseField & { kind: 'boolean'; default?: boolean })
  | (BaseField & { kind: 'choice'; choices: Choice[]; default?: string })
  | (BaseField & { kind: 'multi'; choices: Choice[]; minItems?: number; maxItems?: number; default?: string[] });

/** text and number fields hold the typed text; boolean a boolean; choice the chosen value; multi the chosen values. */
export type FieldValue = string | boolean | string[] | undefined;
export type FormValues = Readonly<Record<string, FieldValue>>;

export interface FormSpec {
  fields: FormField[];
  /** Properties mcpsh cannot show (not in the restricted schema), with the reason. */
  unsupported: string[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const FORMATS: readonly string[] = ['email', 'uri', 'date', 'date-time'];
const SECRET_WORDS = /\b(pin|otp|passcode|ssn|cvv|cvc)\b/i;

/** The fields of a requested schema, in the server's order. */
export function parseForm(schema: Record<string, unknown> | undefined): FormSpec {
  const properties = isObject(schema?.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema?.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  const fields: FormField[] = [];
  const unsupported: string[] = [];
  for (const [name, raw] of Object.entries(properties)) {
    if (!isObject(raw)) {
      unsupported.push(`${safeLine(name, 40)}: not a schema`);
      continue;
    }
    const title = str(raw.title);
    const description = str(raw.description);
    const base: BaseField = {
      name,
      label: safeLine(title ?? name, 80),
      ...(description ? { description: terminalSafe(description).trim() } : {}),
      required: required.has(name),
      secret:
        isCredentialName(name) ||
        SECRET_WORDS.test(name) ||
        (title !== undefined && (isCredentialName(title) || SECRET_WORDS.test(title))) ||
        raw.writeOnly === true,
    };
    const field = parseField(base, raw);
    if (typeof field === 'string') unsupported.push(`${safeLine(name, 40)}: ${field}`);
    else fields.push(field);
  }
  return { fields, unsupported };
}

function parseField(base: BaseField, raw: Json): FormField | string {
  if (raw.type === 'boolean') return { ...base, kind: 'boolean', ...(typeof raw.default === 'boolean' ? { default: raw.default } : {}) };
  if (raw.type === 'number' || raw.type === 'integer') {
    const [minimum, maximum, fallback] = [num(raw.minimum), num(raw.maximum), num(raw.default)];
    return {
      ...base,
      kind: 'number',
      integer: raw.type === 'integer',
      ...(minimum !== undefined ? { minimum } : {}),
      ...(maximum !== undefined ? { maximum } : {}),
      ...(fallback !== undefined ? { default: fallback } : {}),
    };
  }
  if (raw.type === 'array') {
    const items = isObject(raw.items) ? raw.items : {};
    const choices = choicesOf(items.enum, undefined, items.anyOf);
    if (!choices) return 'a list without a fixed set of choices';
    const [minItems, maxItems] = [num(raw.minItems), num(raw.maxItems)];
    const defaults = Array.isArray(raw.default)
      ? raw.default.filter((v): v is string => typeof v === 'string' && choices.some((c) => c.value === v))
      : undefined;
    return {
      ...base,
      kind: 'multi',
      choices,
      ...(minItems !== undefined ? { minItems } : {}),
      ...(maxItems !== undefined ? { maxItems } : {}),
      ...(defaults ? { default: defaults } : {}),
    };
  }
  if (raw.type === 'string' || raw.type === undefined) {
    const choices = choicesOf(raw.enum, raw.enumNames, raw.oneOf);
    const fallback = str(raw.default);
    if (choices)
      return {
        ...base,
        kind: 'choice',
        choices,
        ...(fallback !== undefined && choices.some((c) => c.value === fallback) ? { default: fallback } : {}),
      };
    if (raw.type === undefined) return 'no type';
    const format = str(raw.format);
    const [minLength, maxLength] = [num(raw.minLength), num(raw.maxLength)];
    return {
      ...base,
      kind: 'text',
      ...(format && FORMATS.includes(format) ? { format: format as StringFormat } : {}),
      ...(minLength !== undefined ? { minLength } : {}),
      ...(maxLength !== undefined ? { maxLength } : {}),
      ...(fallback !== undefined ? { default: fallback } : {}),
    };
  }
  return `type ${safeLine(JSON.stringify(raw.type) ?? '?', 20)} is not one a form can ask for`;
}

/** Choices from `enum` (+ legacy `enumNames`) or from `oneOf`/`anyOf` of {const, title}. */
function choicesOf(values: unknown, names: unknown, titled: unknown): Choice[] | undefined {
  if (Array.isArray(values)) {
    const labels = Array.isArray(names) ? names : [];
    return values
      .filter((v): v is string => typeof v === 'string')
      .map((value, i) => ({ value, label: safeLine(str(labels[i]) ?? value, 60) }));
  }
  if (Array.isArray(titled)) {
    const choices = titled.filter(isObject).flatMap((o) => {
      const value = str(o.const);
      return value === undefined ? [] : [{ value, label: safeLine(str(o.title) ?? value, 60) }];
    });
    return choices.length > 0 ? choices : undefined;
  }
  return undefined;
}

/** Starting values: the schema's defaults, or empty. */
export function initialValues(spec: FormSpec): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {};
  for (const f of spec.fields) {
    if (f.kind === 'text') values[f.name] = f.default ?? '';
    else if (f.kind === 'number') values[f.name] = f.default !== undefined ? String(f.default) : '';
    else if (f.kind === 'boolean') values[f.name] = f.default ?? false;
    else if (f.kind === 'choice') values[f.name] = f.default;
    else values[f.name] = f.default ?? [];
  }
  return values;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function validDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.getUTCDate() === Number(m[3]) && d.getUTCMonth() + 1 === Number(m[2]);
}

function validUri(text: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(text)) return false;
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What is wrong with a field's value (undefined when it is fine). */
export function validateField(field: FormField, value: FieldValue): string | undefined {
  switch (field.kind) {
    case 'text': {
      const text = typeof value === 'string' ? value : '';
      if (text === '') return field.required ? 'required' : undefined;
      const length = [...text].length;
      if (field.minLength !== undefined && length < field.minLength) return `at least ${plural(field.minLength, 'character')}`;
      if (field.maxLength !== undefined && length > field.maxLength) return `at most ${plural(field.maxLength, 'character')}`;
      if (field.format === 'email' && !EMAIL.test(text)) return 'not an email address (name@example.com)';
      if (field.format === 'uri' && !validUri(text)) return 'not a URI (https://example.com)';
      if (field.format === 'date' && !validDate(text)) return 'not a date (YYYY-MM-DD)';
      if (field.format === 'date-time' && (!DATE_TIME.test(text) || Number.isNaN(Date.parse(text))))
        return 'not a date-time (2025-01-31T09:30:00Z)';
      return undefined;
    }
    case 'number': {
      const text = typeof value === 'string' ? value.trim() : '';
      if (text === '') return field.required ? 'required' : undefined;
      const n = Number(text);
      if (!Number.isFinite(n)) return field.integer ? 'not a whole number' : 'not a number';
      if (field.integer && !Number.isInteger(n)) return 'not a whole number';
      if (field.minimum !== undefined && n < field.minimum) return `at least ${field.minimum}`;
      if (field.maximum !== undefined && n > field.maximum) return `at most ${field.maximum}`;
      return undefined;
    }
    case 'boolean':
      return undefined;
    case 'choice':
      return value === undefined && field.required ? 'choose one' : undefined;
    case 'multi': {
      const chosen = Array.isArray(value) ? value.length : 0;
      // An optional list left empty is simply not sent.
      if (chosen === 0 && !field.required) return undefined;
      const least = field.minItems ?? (field.required ? 1 : 0);
      if (chosen < least) return `choose at least ${least}`;
      if (field.maxItems !== undefined && chosen > field.maxItems) return `choose at most ${field.maxItems}`;
      return undefined;
    }
  }
}

/** Every field's problem, by name. */
export function validateForm(spec: FormSpec, values: FormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of spec.fields) {
    const error = validateField(f, values[f.name]);
    if (error) errors[f.name] = error;
  }
  return errors;
}

export type FormContent = Record<string, string | number | boolean | string[]>;

/** The answer to send: typed values converted, empty optional fields left out. */
export function formContent(
  spec: FormSpec,
  values: FormValues,
): { ok: true; content: FormContent } | { ok: false; errors: Record<string, string> } {
  const errors = validateForm(spec, values);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const content: FormContent = {};
  for (const f of spec.fields) {
    const value = values[f.name];
    if (f.kind === 'text' && typeof value === 'string' && value !== '') content[f.name] = value;
    else if (f.kind === 'number' && typeof value === 'string' && value.trim() !== '') content[f.name] = Number(value.trim());
    else if (f.kind === 'boolean') content[f.name] = value === true;
    else if (f.kind === 'choice' && typeof value === 'string') content[f.name] = value;
    else if (f.kind === 'multi' && Array.isArray(value) && (value.length > 0 || f.required))
      content[f.name] = f.choices.map((c) => c.value).filter((v) => value.includes(v));
  }
  return { ok: true, content };
}

export const MASK = '••••';

/** `name=value, …` for the transcript, secrets masked, each value cut short. */
export function describeContent(spec: FormSpec, content: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(content).map(([name, value]) => {
    const field = spec.fields.find((f) => f.name === name);
    const shown = field?.secret
      ? MASK
      : typeof value === 'string'
        ? JSON.stringify(safeLine(value, 40))
        : safeLine(JSON.stringify(value) ?? String(value), 60);
    return `${safeLine(name, 40)}=${shown}`;
  });
  return parts.length > 0 ? parts.join(', ') : 'no fields';
}
