// Arguments a careful user would type for a tool they have never seen: every required property, from its
// default, const or first enum value, else a plain value of its type (nested objects likewise).
export function argumentsFor(schema) {
  const value = valueFor(schema ?? { type: 'object' }, 0);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

function valueFor(schema, depth) {
  if (schema === null || typeof schema !== 'object') return 'test';
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'number':
    case 'integer':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'string':
      return 'test';
    case 'object':
    case undefined: {
      const out = {};
      if (depth > 8) return out;
      const properties = schema.properties ?? {};
      for (const name of Array.isArray(schema.required) ? schema.required : []) out[name] = valueFor(properties[name], depth + 1);
      return out;
    }
    default:
      return null;
  }
}
