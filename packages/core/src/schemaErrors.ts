import type { ErrorObject } from 'ajv-draft-04';
import { ErrorCode } from './errorCodes';
import { NotebookFormatError } from './errors/NotebookFormatError';
import { formatPath, type PathSegment } from './notebookPath';

/** What the translation needs from the schema a notebook failed: its definitions, to look closer at one cell. */
export interface ISchemaDefinitions {
  /** Check `value` against one of the schema's definitions (`code_cell`, `stream`, …): its errors, or null. */
  check(definition: string, value: unknown): ErrorObject[] | null;
  /** The keys a definition lists under "properties". */
  keysOf(definition: string): string[];
}

/**
 * Turn ajv's errors for `root` into one error in this project's style, with the path of the problem and words a
 * notebook author understands (`cells[0]: a markdown cell cannot have "outputs"`), never ajv's own text.
 * A cell or output that matches none of nbformat's kinds is checked again against the kind its `cell_type` or
 * `output_type` names, so the message says what is wrong with it rather than that it matches no kind.
 * Expects ajv's `verbose` errors (they carry the schema that failed).
 */
export function schemaError(
  errors: ErrorObject[],
  root: unknown,
  definitions: ISchemaDefinitions
): NotebookFormatError {
  return Private.describe(errors, root, [], undefined, definitions);
}

namespace Private {
  /** The cell or output kind a set of errors is about, when they were found by checking one definition. */
  interface ISubject {
    /** E.g. `a markdown cell`, `a stream output`. */
    name: string;
    /** Every key that some kind of its family (cells, or outputs) may have. */
    familyKeys: string[];
  }

  const KNOWN_PATTERNS: Record<string, string> = {
    '^.+$': 'must be a non-empty string on one line',
    '^[^,]+$': 'must be non-empty and must not contain a comma',
    '^[a-zA-Z0-9-_]+$': 'is not a valid cell id: use 1 to 64 letters, digits, "-" or "_"'
  };

  const TYPE_NAMES: Record<string, string> = {
    string: 'a string',
    array: 'a list',
    object: 'an object',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    null: 'null'
  };

  const UNRECOGNIZED = 'unrecognized_';

  function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  /** `a`, `a or b`, `a, b or c`. */
  function orList(items: string[]): string {
    return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
  }

  /** The value a JSON pointer names inside `root`, and its segments with list indexes as numbers. */
  function resolve(root: unknown, pointer: string): { value: unknown; segments: PathSegment[] } {
    const segments: PathSegment[] = [];
    let value = root;
    for (const raw of pointer.split('/').slice(1)) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (Array.isArray(value)) {
        segments.push(Number(key));
        value = value[Number(key)];
      } else {
        segments.push(key);
        value = isObject(value) && Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
      }
    }
    return { value, segments };
  }

  /** A key as a message quotes it, cut short if someone made it very long. */
  function quoted(key: string): string {
    return JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key);
  }

  function subjectName(definition: string): string {
    if (definition.startsWith(UNRECOGNIZED)) {
      return definition.endsWith('_cell') ? 'a cell' : 'an output';
    }
    const name = definition.endsWith('_cell') ? `${definition.slice(0, -5)} cell` : `${definition} output`;
    return `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name}`;
  }

  /** Which key tells a definition's kind apart, and the value it must have (`code_cell` → cell_type "code"). */
  function discriminator(definition: string): [string, string] {
    return definition.endsWith('_cell') ? ['cell_type', definition.slice(0, -5)] : ['output_type', definition];
  }

  function describeShape(schema: unknown): string {
    if (!isObject(schema)) {
      return 'a value of another form';
    }
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (schema.type === 'array' && isObject(schema.items) && typeof schema.items.type === 'string') {
      return `a list of ${TYPE_NAMES[schema.items.type]?.replace(/^an? /, '') ?? 'values'}s`;
    }
    const names = types.map(type => TYPE_NAMES[String(type)]).filter(name => name !== undefined);
    return names.length ? orList(names) : 'a value of another form';
  }

  export function describe(
    errors: ErrorObject[],
    root: unknown,
    base: PathSegment[],
    subject: ISubject | undefined,
    definitions: ISchemaDefinitions
  ): NotebookFormatError {
    // Without allErrors, ajv stops at the first failing keyword of the outermost schema and reports it last;
    // the errors before it come from the branches of a oneOf.
    const error = errors[errors.length - 1];
    if (error === undefined) {
      return errorAt(base, 'does not match nbformat');
    }
    const { value, segments } = resolve(root, error.instancePath);
    const path = [...base, ...segments];
    if (error.keyword === 'oneOf') {
      return describeOneOf(error, value, path, definitions);
    }
    return errorAt(path, message(error, value, path, segments.length === 0 ? subject : undefined));
  }

  function describeOneOf(
    error: ErrorObject,
    value: unknown,
    path: PathSegment[],
    definitions: ISchemaDefinitions
  ): NotebookFormatError {
    const branches: unknown[] = Array.isArray(error.schema) ? error.schema : [];
    const refs = branches.map(branch =>
      isObject(branch) && typeof branch.$ref === 'string' ? branch.$ref.replace('#/definitions/', '') : undefined
    );
    const kinds = refs.filter(ref => ref !== undefined);
    const known = kinds.filter(kind => !kind.startsWith(UNRECOGNIZED));
    if (known.length === 0 || kinds.length < refs.length) {
      return errorAt(
        path,
        Array.isArray(error.params.passingSchemas)
          ? 'matches more than one of the forms nbformat allows here'
          : `must be ${orList(branches.map(describeShape))}`
      );
    }
    const [key] = discriminator(known[0]);
    const tag = isObject(value) ? value[key] : undefined;
    let kind = known.find(candidate => discriminator(candidate)[1] === tag);
    if (kind === undefined && typeof tag === 'string') {
      kind = kinds.find(candidate => candidate.startsWith(UNRECOGNIZED));
    }
    const errors = kind === undefined ? null : definitions.check(kind, value);
    if (kind === undefined || errors === null) {
      const allowed = known.map(candidate => JSON.stringify(discriminator(candidate)[1]));
      return errorAt([...path, key], `must be ${orList(allowed)}`);
    }
    const familyKeys = [...new Set(known.flatMap(candidate => definitions.keysOf(candidate)))];
    return describe(errors, value, path, { name: subjectName(kind), familyKeys }, definitions);
  }

  function message(error: ErrorObject, value: unknown, path: PathSegment[], subject: ISubject | undefined): string {
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = quoted(String(params.additionalProperty));
        if (subject && subject.familyKeys.includes(String(params.additionalProperty))) {
          return `${subject.name} cannot have ${key}`;
        }
        return path.length === 0 ? `unknown top-level key ${key}` : `unknown key ${key}`;
      }
      case 'required': {
        const key = quoted(String(params.missingProperty));
        if (subject) {
          return `${subject.name} needs ${key}`;
        }
        return path.length === 0 ? `the notebook needs ${key}` : `must have ${key}`;
      }
      case 'type':
        return `must be ${orList(
          String(params.type)
            .split(',')
            .map(type => TYPE_NAMES[type] ?? type)
        )}`;
      case 'enum':
        return `must be ${orList((params.allowedValues as unknown[]).map(item => JSON.stringify(item)))}`;
      case 'pattern':
        return KNOWN_PATTERNS[String(params.pattern)] ?? `must match the pattern ${String(params.pattern)}`;
      case 'minLength':
        return params.limit === 1 ? 'must not be empty' : `must be at least ${params.limit} characters long`;
      case 'maxLength':
        return `must be at most ${params.limit} characters long`;
      case 'minimum':
        return `must be ${params.comparison === '>' ? 'more than' : 'at least'} ${params.limit}, not ${value}`;
      case 'maximum':
        return `must be ${params.comparison === '<' ? 'less than' : 'at most'} ${params.limit}, not ${value}`;
      case 'uniqueItems': {
        const [first, second] = [Number(params.i), Number(params.j)].sort((a, b) => a - b);
        return `must not repeat an item (items ${first} and ${second} are the same)`;
      }
      default:
        return `breaks nbformat's "${error.keyword}" rule`;
    }
  }

  function errorAt(path: PathSegment[], message: string): NotebookFormatError {
    const isCellId = path.length === 3 && path[0] === 'cells' && path[2] === 'id';
    return new NotebookFormatError(
      isCellId ? ErrorCode.INVALID_CELL_ID : ErrorCode.INVALID_NOTEBOOK,
      message,
      formatPath(path)
    );
  }
}
