import type { FastifySchemaValidationError } from 'fastify';

/** The part of a request a schema checked, as Fastify names it in `error.validationContext`. */
export type RequestPart = 'body' | 'querystring' | 'params' | 'headers';

/** A schema failure in words: the sentence, and the field it is about (`tags[1]`; empty for the whole part). */
export interface IValidationMessage {
  message: string;
  field: string;
}

/**
 * Say in one sentence which field of a request failed its schema and why, for people and API clients alike:
 * `The title is too long: at most 200 characters (it has 231).` rather than ajv's
 * `body/title must NOT have more than 200 characters`. `value` is the request part that was checked, so lengths and
 * counts can be given. Only the first failure is described, as the app stops at the first (ajv `allErrors: false`).
 */
export function validationMessage(
  errors: readonly FastifySchemaValidationError[],
  part: RequestPart,
  value: unknown
): IValidationMessage {
  // A failed union (a visibility that is none of its literals) lists each branch's failure, then the anyOf.
  const union = errors.find(error => error.keyword === 'anyOf');
  const error = union ?? errors[0];
  if (!error) {
    return { message: `${Private.capitalize(Private.partName(part))} is not valid.`, field: '' };
  }
  const segments = Private.segments(error.instancePath, value);
  const allowed = union
    ? errors
        .filter(other => other.instancePath === union.instancePath && other.keyword === 'const')
        .map(other => other.params.allowedValue)
    : undefined;
  return Private.describe(error, part, segments, Private.valueAt(value, segments), allowed);
}

namespace Private {
  type Segment = string | number;

  /** Body fields a person fills in, named as the save and share dialogs label them. */
  const FRIENDLY_FIELDS: Record<string, string> = {
    title: 'the title',
    description: 'the description',
    tags: 'the tags',
    message: 'the message',
    comment: 'the comment',
    visibility: 'the visibility',
    group: 'the group',
    username: 'the username',
    password: 'the password',
    email: 'the email address'
  };

  const TYPE_NAMES: Record<string, string> = {
    string: 'text',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    array: 'a list',
    object: 'an object',
    null: 'null'
  };

  const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

  export function capitalize(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  export function partName(part: RequestPart): string {
    switch (part) {
      case 'body':
        return 'the request body';
      case 'querystring':
        return 'the query string';
      case 'params':
        return 'the path';
      case 'headers':
        return 'the request headers';
    }
  }

  /** A JSON pointer's steps, with list indexes as numbers where the value has a list. */
  export function segments(pointer: string, root: unknown): Segment[] {
    const steps: Segment[] = [];
    let value = root;
    for (const raw of pointer.split('/').slice(1)) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (Array.isArray(value)) {
        steps.push(Number(key));
        value = value[Number(key)];
      } else {
        steps.push(key);
        value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
      }
    }
    return steps;
  }

  export function valueAt(root: unknown, steps: readonly Segment[]): unknown {
    let value = root;
    for (const step of steps) {
      value = typeof value === 'object' && value !== null ? (value as Record<Segment, unknown>)[step] : undefined;
    }
    return value;
  }

  /** `shares[0].name`, as the notebook errors write paths. */
  function formatField(steps: readonly Segment[]): string {
    let text = '';
    for (const step of steps) {
      if (typeof step === 'number') {
        text += `[${step}]`;
      } else if (IDENTIFIER.test(step)) {
        text += text ? `.${step}` : step;
      } else {
        text += `[${JSON.stringify(step)}]`;
      }
    }
    return text;
  }

  /** What a sentence calls the field at `steps` of `part`, lower-case: `the title`, `tag 2`, `the field "x"`. */
  function fieldName(part: RequestPart, steps: readonly Segment[]): string {
    if (steps.length === 0) {
      return partName(part);
    }
    if (part === 'body') {
      if (steps.length === 1 && typeof steps[0] === 'string' && FRIENDLY_FIELDS[steps[0]]) {
        return FRIENDLY_FIELDS[steps[0]];
      }
      if (steps.length === 2 && steps[0] === 'tags' && typeof steps[1] === 'number') {
        return `tag ${steps[1] + 1}`;
      }
      return `the field "${formatField(steps)}"`;
    }
    const noun = { querystring: 'query parameter', params: 'path parameter', headers: 'header' }[part];
    return `the ${noun} "${formatField(steps)}"`;
  }

  /** Characters as JSON Schema counts them (code points), so "it has N" agrees with the limit. */
  function length(value: unknown): number | null {
    return typeof value === 'string' ? [...value].length : null;
  }

  function orList(items: string[]): string {
    return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
  }

  export function describe(
    error: FastifySchemaValidationError,
    part: RequestPart,
    steps: Segment[],
    value: unknown,
    allowed: unknown[] | undefined
  ): IValidationMessage {
    const field = formatField(steps);
    const name = fieldName(part, steps);
    const subject = capitalize(name);
    const params = error.params;
    const limit = Number(params.limit);
    const sentence = (message: string, at = field): IValidationMessage => ({ message, field: at });
    switch (error.keyword) {
      case 'maxLength': {
        const has = length(value);
        return sentence(
          `${subject} is too long: at most ${limit} characters${has === null ? '' : ` (it has ${has})`}.`
        );
      }
      case 'minLength': {
        if (limit <= 1) {
          return sentence(`${subject} must not be empty.`);
        }
        const has = length(value);
        return sentence(
          `${subject} is too short: at least ${limit} characters${has === null ? '' : ` (it has ${has})`}.`
        );
      }
      case 'maxItems':
      case 'minItems': {
        const count = Array.isArray(value) ? ` (there are ${value.length})` : '';
        const items = name === 'the tags' ? 'tags' : `items in ${name}`;
        const bound = error.keyword === 'maxItems' ? `at most ${limit}` : `at least ${limit}`;
        return sentence(`Too ${error.keyword === 'maxItems' ? 'many' : 'few'} ${items}: ${bound}${count}.`);
      }
      case 'maximum':
      case 'minimum':
      case 'exclusiveMaximum':
      case 'exclusiveMinimum': {
        const words = {
          maximum: 'at most',
          minimum: 'at least',
          exclusiveMaximum: 'less than',
          exclusiveMinimum: 'more than'
        }[error.keyword];
        return sentence(`${subject} must be ${words} ${String(params.limit)}.`);
      }
      case 'type': {
        if (steps.length === 0 && part === 'body') {
          return sentence('The request body must be a JSON object.');
        }
        const types = String(params.type)
          .split(',')
          .map(type => TYPE_NAMES[type] ?? type);
        return sentence(`${subject} must be ${orList(types)}.`);
      }
      case 'required': {
        const missing = String(params.missingProperty);
        const at = formatField([...steps, missing]);
        if (steps.length === 0 && part !== 'body') {
          return sentence(`${capitalize(fieldName(part, [missing]))} is required.`, at);
        }
        return sentence(`${subject} is missing the field "${missing}".`, at);
      }
      case 'additionalProperties': {
        const extra = String(params.additionalProperty);
        return sentence(
          `${subject} has a field the gallery does not know: "${extra}".`,
          formatField([...steps, extra])
        );
      }
      case 'minProperties':
        return sentence(
          steps.length === 0 && part === 'body'
            ? 'The request body must set at least one field.'
            : `${subject} must have at least ${limit} field${limit === 1 ? '' : 's'}.`
        );
      case 'pattern':
        return sentence(
          params.pattern === '\\S'
            ? `${subject} must not be only spaces.`
            : `${subject} does not have the expected form (${String(params.pattern)}).`
        );
      case 'format':
        return sentence(`${subject} must be a valid ${String(params.format)}.`);
      case 'const':
        return sentence(`${subject} must be ${JSON.stringify(params.allowedValue)}.`);
      case 'enum':
      case 'anyOf': {
        const values = error.keyword === 'enum' ? (params.allowedValues as unknown[]) : (allowed ?? []);
        return values.length > 0
          ? sentence(`${subject} must be ${orList(values.map(item => JSON.stringify(item)))}.`)
          : sentence(`${subject} is not one of the forms the gallery accepts.`);
      }
      default:
        return sentence(`${subject} ${error.message ?? 'is not valid'}.`);
    }
  }
}
