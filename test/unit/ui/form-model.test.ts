// The elicitation form without a screen: fields from MCP's restricted schema (every type and enum
// variant), defaults, validation, the content sent back, the keyboard reducer and safe server text.
import { describe, expect, it } from 'vitest';
import {
  describeContent,
  formContent,
  initialValues,
  MASK,
  parseForm,
  validateField,
  type FormField,
  type FormSpec,
} from '../../../src/ui/state/form-model.js';
import {
  formReducer,
  initialFormState,
  pressEnter,
  submitForm,
  type FormAction,
  type FormState,
} from '../../../src/ui/state/form-state.js';
import { safeLine, terminalSafe } from '../../../src/output/safe-text.js';

/** The schema server-everything's trigger-elicitation-request sends (every kind the spec allows). */
const EVERYTHING_SCHEMA = {
  type: 'object',
  properties: {
    name: { title: 'String', type: 'string', description: 'Your full, legal name' },
    check: { title: 'Boolean', type: 'boolean' },
    firstLine: { type: 'string', default: 'It was a dark and stormy night.' },
    email: { type: 'string', format: 'email' },
    homepage: { type: 'string', format: 'uri' },
    birthdate: { type: 'string', format: 'date' },
    integer: { type: 'integer', minimum: 1, maximum: 100, default: 42 },
    number: { type: 'number', minimum: 0, maximum: 1000, default: 3.14 },
    friend: { type: 'string', enum: ['Monica', 'Rachel', 'Joey'], default: 'Monica' },
    instruments: {
      type: 'array',
      minItems: 1,
      maxItems: 2,
      items: { type: 'string', enum: ['Guitar', 'Piano', 'Violin'] },
      default: ['Guitar'],
    },
    hero: {
      type: 'string',
      oneOf: [
        { const: 'hero-1', title: 'Superman' },
        { const: 'hero-2', title: 'Wonder Woman' },
      ],
      default: 'hero-1',
    },
    fish: {
      type: 'array',
      items: {
        anyOf: [
          { const: 'fish-1', title: 'Tuna' },
          { const: 'fish-2', title: 'Salmon' },
        ],
      },
      default: ['fish-1'],
    },
    pet: { type: 'string', enum: ['pet-1', 'pet-2'], enumNames: ['Cats', 'Dogs'], default: 'pet-1' },
  },
  required: ['name'],
};

function field(spec: FormSpec, name: string): FormField {
  const found = spec.fields.find((f) => f.name === name);
  if (!found) throw new Error(`no field ${name}`);
  return found;
}

describe('parseForm', () => {
  const spec = parseForm(EVERYTHING_SCHEMA);

  it('reads every field in order with its kind, label, required mark and limits', () => {
    expect(spec.unsupported).toEqual([]);
    expect(spec.fields.map((f) => `${f.name}:${f.kind}`)).toEqual([
      'name:text',
      'check:boolean',
      'firstLine:text',
      'email:text',
      'homepage:text',
      'birthdate:text',
      'integer:number',
      'number:number',
      'friend:choice',
      'instruments:multi',
      'hero:choice',
      'fish:multi',
      'pet:choice',
    ]);
    expect(field(spec, 'name')).toMatchObject({ label: 'String', required: true, description: 'Your full, legal name' });
    expect(field(spec, 'firstLine')).toMatchObject({ label: 'firstLine', required: false });
    expect(field(spec, 'email')).toMatchObject({ format: 'email' });
    expect(field(spec, 'integer')).toMatchObject({ integer: true, minimum: 1, maximum: 100, default: 42 });
    expect(field(spec, 'number')).toMatchObject({ integer: false, minimum: 0, maximum: 1000 });
  });

  it('reads the four enum shapes: enum, enum + enumNames, oneOf, and arrays of enum / anyOf', () => {
    expect(field(spec, 'friend')).toMatchObject({
      choices: [
        { value: 'Monica', label: 'Monica' },
        { value: 'Rachel', label: 'Rachel' },
        { value: 'Joey', label: 'Joey' },
      ],
    });
    expect(field(spec, 'pet')).toMatchObject({
      choices: [
        { value: 'pet-1', label: 'Cats' },
        { value: 'pet-2', label: 'Dogs' },
      ],
    });
    expect(field(spec, 'hero')).toMatchObject({
      choices: [
        { value: 'hero-1', label: 'Superman' },
        { value: 'hero-2', label: 'Wonder Woman' },
      ],
    });
    expect(field(spec, 'instruments')).toMatchObject({
      minItems: 1,
      maxItems: 2,
      choices: [{ value: 'Guitar' }, { value: 'Piano' }, { value: 'Violin' }],
    });
    expect(field(spec, 'fish')).toMatchObject({
      choices: [
        { value: 'fish-1', label: 'Tuna' },
        { value: 'fish-2', label: 'Salmon' },
      ],
    });
  });

  it('applies the defaults (a default that is not one of the choices is ignored)', () => {
    expect(initialValues(spec)).toEqual({
      name: '',
      check: false,
      firstLine: 'It was a dark and stormy night.',
      email: '',
      homepage: '',
      birthdate: '',
      integer: '42',
      number: '3.14',
      friend: 'Monica',
      instruments: ['Guitar'],
      hero: 'hero-1',
      fish: ['fish-1'],
      pet: 'pet-1',
    });
    expect(
      initialValues(
        parseForm({ properties: { a: { type: 'string', enum: ['x'], default: 'nope' }, b: { type: 'boolean', default: true } } }),
      ),
    ).toEqual({ a: undefined, b: true });
  });

  it('marks secret-looking fields and lists what a form cannot ask for', () => {
    const odd = parseForm({
      properties: {
        apiKey: { type: 'string' },
        code: { type: 'string', title: 'PIN' },
        nested: { type: 'object', properties: {} },
        tags: { type: 'array', items: { type: 'string' } },
        city: { type: 'string' },
      },
    });
    expect(odd.fields.map((f) => [f.name, f.secret])).toEqual([
      ['apiKey', true],
      ['code', true],
      ['city', false],
    ]);
    expect(odd.unsupported).toEqual(['nested: type "object" is not one a form can ask for', 'tags: a list without a fixed set of choices']);
  });

  it('server text cannot carry escape sequences into the labels', () => {
    const spec2 = parseForm({
      properties: { x: { type: 'string', title: 'Na\u001b[31mme\u0007', description: 'a\u001b]0;pwned\u0007b' } },
    });
    expect(field(spec2, 'x')).toMatchObject({ label: 'Name␇', description: 'a␛]0;pwned␇b' });
  });
});

describe('validation and content', () => {
  const spec = parseForm(EVERYTHING_SCHEMA);
  const problem = (name: string, value: unknown): string | undefined => validateField(field(spec, name), value as string);

  it('strings: required, formats, lengths', () => {
    expect(problem('name', '')).toBe('required');
    expect(problem('email', '')).toBeUndefined();
    expect(problem('email', 'ada@example')).toBe('not an email address (name@example.com)');
    expect(problem('email', 'ada@example.com')).toBeUndefined();
    expect(problem('homepage', 'example.com')).toBe('not a URI (https://example.com)');
    expect(problem('homepage', 'https://example.com/ada')).toBeUndefined();
    expect(problem('birthdate', '1815-02-30')).toBe('not a date (YYYY-MM-DD)');
    expect(problem('birthdate', '1815-12-10')).toBeUndefined();
    const lengths = parseForm({
      properties: { code: { type: 'string', minLength: 2, maxLength: 3 }, at: { type: 'string', format: 'date-time' } },
    });
    expect(validateField(field(lengths, 'code'), 'a')).toBe('at least 2 characters');
    expect(validateField(field(lengths, 'code'), 'abcd')).toBe('at most 3 characters');
    expect(validateField(field(lengths, 'at'), '2025-01-31 09:30')).toBe('not a date-time (2025-01-31T09:30:00Z)');
    expect(validateField(field(lengths, 'at'), '2025-01-31T09:30:00+01:00')).toBeUndefined();
  });

  it('numbers: parsed, whole for integers, within minimum and maximum', () => {
    expect(problem('integer', 'seven')).toBe('not a whole number');
    expect(problem('integer', '7.5')).toBe('not a whole number');
    expect(problem('integer', '0')).toBe('at least 1');
    expect(problem('integer', '101')).toBe('at most 100');
    expect(problem('number', '2.5e2')).toBeUndefined();
    expect(problem('number', 'x')).toBe('not a number');
  });

  it('choices: a required one must be chosen; lists within minItems and maxItems', () => {
    const required = parseForm({ properties: { size: { type: 'string', enum: ['S', 'M'] } }, required: ['size'] });
    expect(validateField(field(required, 'size'), undefined)).toBe('choose one');
    expect(problem('instruments', ['Guitar', 'Piano', 'Violin'])).toBe('choose at most 2');
    // Optional and empty: simply not sent, even with minItems.
    expect(problem('instruments', [])).toBeUndefined();
    const mustPick = parseForm({
      properties: { t: { type: 'array', minItems: 2, items: { type: 'string', enum: ['a', 'b', 'c'] } } },
      required: ['t'],
    });
    expect(validateField(field(mustPick, 't'), ['a'])).toBe('choose at least 2');
  });

  it('the content: numbers converted, empty optional fields left out, lists in the choices order', () => {
    const values = { ...initialValues(spec), name: 'Ada', integer: ' 7 ', instruments: ['Piano', 'Guitar'], homepage: '' };
    expect(formContent(spec, values)).toEqual({
      ok: true,
      content: {
        name: 'Ada',
        check: false,
        firstLine: 'It was a dark and stormy night.',
        integer: 7,
        number: 3.14,
        friend: 'Monica',
        instruments: ['Guitar', 'Piano'],
        hero: 'hero-1',
        fish: ['fish-1'],
        pet: 'pet-1',
      },
    });
    expect(formContent(spec, initialValues(spec))).toEqual({ ok: false, errors: { name: 'required' } });
  });

  it('the transcript line masks secrets', () => {
    const secretSpec = parseForm({ properties: { user: { type: 'string' }, password: { type: 'string' }, n: { type: 'integer' } } });
    expect(describeContent(secretSpec, { user: 'ada', password: 'hunter22', n: 3 })).toBe(`user="ada", password=${MASK}, n=3`);
    expect(describeContent(secretSpec, {})).toBe('no fields');
  });
});

describe('the form reducer', () => {
  const spec = parseForm({
    properties: {
      city: { type: 'string', default: 'Lisbon' },
      nights: { type: 'integer', minimum: 1 },
      breakfast: { type: 'boolean' },
      room: {
        type: 'string',
        oneOf: [
          { const: 's', title: 'Single' },
          { const: 'd', title: 'Double' },
        ],
      },
      extras: { type: 'array', items: { type: 'string', enum: ['parking', 'spa'] } },
    },
    required: ['city', 'nights'],
  });
  const run = (...actions: FormAction[]): FormState => actions.reduce((s, a) => formReducer(spec, s, a), initialFormState(spec));

  it('typing edits the focused text field; Backspace and Ctrl+U delete; Space is a space there', () => {
    const state = run({ type: 'backspace' }, { type: 'text', text: 'n' }, { type: 'space' }, { type: 'text', text: 'x\n' });
    expect(state.values.city).toBe('Lisbon x ');
    expect(run({ type: 'clear' }).values.city).toBe('');
  });

  it('Space toggles booleans, picks the highlighted choice (again: unset, when optional), toggles list items', () => {
    const onBool = run({ type: 'next' }, { type: 'next' }, { type: 'space' });
    expect(onBool.values.breakfast).toBe(true);
    expect(formReducer(spec, onBool, { type: 'space' }).values.breakfast).toBe(false);
    const room = run({ type: 'next' }, { type: 'next' }, { type: 'next' }, { type: 'right' }, { type: 'space' });
    expect(room.values.room).toBe('d');
    expect(formReducer(spec, room, { type: 'space' }).values.room).toBeUndefined();
    const extras = run({ type: 'prev' }, { type: 'prev' }, { type: 'prev' }, { type: 'space' }, { type: 'left' }, { type: 'space' });
    expect(extras.focus).toBe(4);
    expect(extras.values.extras).toEqual(['parking', 'spa']);
  });

  it('focus wraps over the fields and the Accept and Decline buttons; leaving a field shows its problem', () => {
    expect(run({ type: 'prev' }).focus).toBe(6);
    expect(run({ type: 'next' }, { type: 'next' }).shown).toEqual(['city', 'nights']);
  });

  it('Enter moves on, then accepts if valid (else focuses the first problem); on Decline it declines', () => {
    const first = pressEnter(spec, initialFormState(spec));
    expect(first).toMatchObject({ kind: 'state', state: { focus: 1 } });
    const atEnd = run({ type: 'prev' }, { type: 'prev' }, { type: 'prev' });
    expect(atEnd.focus).toBe(4);
    const invalid = pressEnter(spec, atEnd);
    expect(invalid).toMatchObject({ kind: 'state', state: { focus: 1, shown: ['city', 'nights', 'breakfast', 'room', 'extras'] } });
    const filled = run({ type: 'next' }, { type: 'text', text: '3' });
    expect(submitForm(spec, filled)).toEqual({ kind: 'accept', content: { city: 'Lisbon', nights: 3, breakfast: false } });
    expect(pressEnter(spec, run({ type: 'prev' }))).toEqual({ kind: 'decline' });
  });
});

describe('safe text', () => {
  it('shows CSI, OSC and other control characters as symbols, drops colour codes, keeps newlines', () => {
    expect(terminalSafe('a\u001b[2J\u001b[31mb\u001b]8;;http://x\u0007c\u0000d\r\ne\tf\u009b1m')).toBe('a␛[2Jb␛]8;;http://x␇c␀d\ne  f');
    expect(safeLine('one\ntwo   three', 9)).toBe('one two …');
  });
});
