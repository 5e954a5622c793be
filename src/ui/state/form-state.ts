// The elicitation form's keyboard state as a pure reducer: which field (or button) has focus, the
// highlighted choice, typed edits, toggles, and what Enter does. The dialog only maps keys to actions.
import { formContent, initialValues, type FieldValue, type FormContent, type FormField, type FormSpec } from './form-model.js';

export interface FormState {
  values: Record<string, FieldValue>;
  /** A field index, then `fields.length` for the Accept button and `fields.length + 1` for Decline. */
  focus: number;
  /** The highlighted option of the focused choice field. */
  option: number;
  /** Fields whose problems are shown: left once, or all after an attempt to accept. */
  shown: readonly string[];
}

export type FormAction =
  | { type: 'next' }
  | { type: 'prev' }
  | { type: 'text'; text: string }
  | { type: 'backspace' }
  | { type: 'clear' }
  | { type: 'space' }
  | { type: 'left' }
  | { type: 'right' };

export type EnterOutcome = { kind: 'state'; state: FormState } | { kind: 'accept'; content: FormContent } | { kind: 'decline' };

export function initialFormState(spec: FormSpec): FormState {
  const state: FormState = { values: initialValues(spec), focus: 0, option: 0, shown: [] };
  return { ...state, option: optionFor(spec.fields[0], state.values) };
}

export const acceptIndex = (spec: FormSpec): number => spec.fields.length;
export const declineIndex = (spec: FormSpec): number => spec.fields.length + 1;

export function formReducer(spec: FormSpec, state: FormState, action: FormAction): FormState {
  const field = spec.fields[state.focus];
  switch (action.type) {
    case 'next':
      return moveTo(spec, state, (state.focus + 1) % (spec.fields.length + 2));
    case 'prev':
      return moveTo(spec, state, (state.focus + spec.fields.length + 1) % (spec.fields.length + 2));
    case 'text':
      return field && (field.kind === 'text' || field.kind === 'number')
        ? setValue(state, field, textValue(state, field) + cleanTyped(action.text))
        : state;
    case 'backspace':
      return field && (field.kind === 'text' || field.kind === 'number')
        ? setValue(state, field, [...textValue(state, field)].slice(0, -1).join(''))
        : state;
    case 'clear':
      return field && (field.kind === 'text' || field.kind === 'number') ? setValue(state, field, '') : state;
    case 'space':
      return field ? space(state, field) : state;
    case 'left':
    case 'right': {
      if (!field || (field.kind !== 'choice' && field.kind !== 'multi')) return state;
      const count = field.choices.length;
      return count === 0 ? state : { ...state, option: (state.option + (action.type === 'left' ? count - 1 : 1)) % count };
    }
  }
}

/** Enter: next field; on the last field or Accept, accept if valid (else show what is wrong); on Decline, decline. */
export function pressEnter(spec: FormSpec, state: FormState): EnterOutcome {
  if (state.focus === declineIndex(spec)) return { kind: 'decline' };
  if (state.focus < spec.fields.length - 1) return { kind: 'state', state: moveTo(spec, state, state.focus + 1) };
  return submitForm(spec, state);
}

/** Ctrl+S, or Enter at the end: the content when valid, otherwise every problem shown and the first one focused. */
export function submitForm(spec: FormSpec, state: FormState): Exclude<EnterOutcome, { kind: 'decline' }> {
  const result = formContent(spec, state.values);
  if (result.ok) return { kind: 'accept', content: result.content };
  const first = spec.fields.findIndex((f) => result.errors[f.name] !== undefined);
  const shown = spec.fields.map((f) => f.name);
  return { kind: 'state', state: moveTo(spec, { ...state, shown }, first === -1 ? state.focus : first) };
}

function moveTo(spec: FormSpec, state: FormState, focus: number): FormState {
  const left = spec.fields[state.focus];
  const shown = left && !state.shown.includes(left.name) ? [...state.shown, left.name] : state.shown;
  return { ...state, focus, shown, option: optionFor(spec.fields[focus], state.values) };
}

function optionFor(field: FormField | undefined, values: Record<string, FieldValue>): number {
  if (field?.kind !== 'choice') return 0;
  return Math.max(
    0,
    field.choices.findIndex((c) => c.value === values[field.name]),
  );
}

function textValue(state: FormState, field: FormField): string {
  const value = state.values[field.name];
  return typeof value === 'string' ? value : '';
}

function setValue(state: FormState, field: FormField, value: FieldValue): FormState {
  return { ...state, values: { ...state.values, [field.name]: value } };
}

/** Typed or pasted text: one line, no control characters. */
function cleanTyped(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

function space(state: FormState, field: FormField): FormState {
  switch (field.kind) {
    case 'text':
    case 'number':
      return setValue(state, field, textValue(state, field) + ' ');
    case 'boolean':
      return setValue(state, field, state.values[field.name] !== true);
    case 'choice': {
      const value = field.choices[state.option]?.value;
      // An optional choice can be unset again; a required one only changes.
      return setValue(state, field, value === state.values[field.name] && !field.required ? undefined : value);
    }
    case 'multi': {
      const value = field.choices[state.option]?.value;
      if (value === undefined) return state;
      const chosen = Array.isArray(state.values[field.name]) ? (state.values[field.name] as string[]) : [];
      return setValue(state, field, chosen.includes(value) ? chosen.filter((v) => v !== value) : [...chosen, value]);
    }
  }
}
