// One field of the elicitation form: its label (required ones marked *), its value or choices, and
// when focused its description and limits; a problem is shown under it once the person has left it.
import { Box, Text } from 'ink';
import type { FieldValue, FormField } from '../state/form-model.js';
import { SYMBOLS, tint, useTheme } from '../components/theme.js';
import { wrapAnsi } from '../text/wrap.js';

export interface FormFieldViewProps {
  field: FormField;
  value: FieldValue;
  focused: boolean;
  /** The highlighted choice (focused choice fields). */
  option: number;
  error: string | undefined;
  width: number;
}

/** What the field accepts, in a few words (shown while it has focus). */
export function limitsOf(field: FormField): string | undefined {
  const parts: string[] = [];
  if (field.kind === 'text') {
    if (field.format)
      parts.push(
        { email: 'an email address', uri: 'a URI', date: 'a date, YYYY-MM-DD', 'date-time': 'a date-time, 2025-01-31T09:30:00Z' }[
          field.format
        ],
      );
    if (field.minLength !== undefined && field.maxLength !== undefined) parts.push(`${field.minLength}–${field.maxLength} characters`);
    else if (field.minLength !== undefined) parts.push(`at least ${field.minLength} characters`);
    else if (field.maxLength !== undefined) parts.push(`at most ${field.maxLength} characters`);
  } else if (field.kind === 'number') {
    parts.push(field.integer ? 'a whole number' : 'a number');
    if (field.minimum !== undefined && field.maximum !== undefined) parts.push(`${field.minimum} to ${field.maximum}`);
    else if (field.minimum !== undefined) parts.push(`at least ${field.minimum}`);
    else if (field.maximum !== undefined) parts.push(`at most ${field.maximum}`);
  } else if (field.kind === 'multi') {
    if (field.minItems !== undefined && field.maxItems !== undefined) parts.push(`choose ${field.minItems}–${field.maxItems}`);
    else if (field.minItems !== undefined) parts.push(`choose at least ${field.minItems}`);
    else if (field.maxItems !== undefined) parts.push(`choose at most ${field.maxItems}`);
    else parts.push('choose any');
  }
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** The value as one line, for a field without focus. */
function valueText(field: FormField, value: FieldValue): string {
  switch (field.kind) {
    case 'text':
    case 'number':
      return typeof value === 'string' ? value : '';
    case 'boolean':
      return value === true ? '[x] yes' : '[ ] no';
    case 'choice':
      return field.choices.find((c) => c.value === value)?.label ?? '(none)';
    case 'multi': {
      const chosen = Array.isArray(value) ? value : [];
      return (
        field.choices
          .filter((c) => chosen.includes(c.value))
          .map((c) => c.label)
          .join(', ') || '(none)'
      );
    }
  }
}

/** Terminal rows the field takes (for fitting the form on the screen). */
export function fieldRows(props: FormFieldViewProps): number {
  const { field, focused, error, width } = props;
  const rowsOf = (text: string): number => wrapAnsi(text, Math.max(8, width)).split('\n').length;
  let rows = rowsOf(`  ${field.label}${field.required ? ' *' : ''}: ${valueText(field, props.value)}`);
  if (focused && (field.kind === 'choice' || field.kind === 'multi'))
    rows += rowsOf(field.choices.map((c) => `[x] ${c.label}`).join('  ')) - 1;
  if (focused && field.description) rows += Math.min(3, wrapAnsi(field.description, Math.max(8, width - 4)).split('\n').length);
  if (focused && limitsOf(field)) rows += 1;
  if (error) rows += 1;
  return rows;
}

export function FormFieldView({ field, value, focused, option, error, width }: FormFieldViewProps): React.JSX.Element {
  const theme = useTheme();
  const accent = tint(theme, 'accent');
  const label = (
    <Text {...(focused ? { ...accent, bold: true } : {})}>
      {`${focused ? '❯' : ' '} ${field.label}`}
      {field.required ? <Text {...tint(theme, 'warn')}>{' *'}</Text> : null}
      {': '}
    </Text>
  );
  let body: React.JSX.Element;
  if (focused && (field.kind === 'choice' || field.kind === 'multi')) {
    const chosen = (v: string): boolean => (field.kind === 'choice' ? value === v : Array.isArray(value) && value.includes(v));
    body = (
      <Text>
        {field.choices.map((c, i) => (
          <Text key={c.value}>
            {/* No-break spaces: an option is never split over two lines. */}
            <Text inverse={i === option} underline={i === option}>
              {`${field.kind === 'choice' ? (chosen(c.value) ? '(•)' : '( )') : chosen(c.value) ? '[x]' : '[ ]'} ${c.label}`.replace(
                / /g,
                '\u00a0',
              )}
            </Text>
            {i < field.choices.length - 1 ? '  ' : ''}
          </Text>
        ))}
      </Text>
    );
  } else if (focused && (field.kind === 'text' || field.kind === 'number')) {
    body = (
      <Text>
        {typeof value === 'string' ? value : ''}
        <Text inverse> </Text>
      </Text>
    );
  } else {
    body = <Text dimColor={valueText(field, value) === '' || valueText(field, value) === '(none)'}>{valueText(field, value)}</Text>;
  }
  const limits = focused ? limitsOf(field) : undefined;
  const description = focused && field.description ? wrapAnsi(field.description, Math.max(8, width - 4)).split('\n') : [];
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="wrap">
        {label}
        {body}
      </Text>
      {description.slice(0, 3).map((line, i) => (
        <Text key={i} dimColor>{`    ${i === 2 && description.length > 3 ? `${line.slice(0, Math.max(0, width - 6))}…` : line}`}</Text>
      ))}
      {limits ? <Text dimColor>{`    ${limits}`}</Text> : null}
      {error ? <Text {...tint(theme, 'error')}>{`    ${SYMBOLS.error} ${error}`}</Text> : null}
    </Box>
  );
}
