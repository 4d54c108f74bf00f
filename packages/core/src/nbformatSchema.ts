import Ajv, { type AnySchemaObject, type ValidateFunction } from 'ajv-draft-04';
import type { INotebook } from './nbformat';
import v40 from './nbformatSchemas/nbformat.v4.0.schema.json';
import v41 from './nbformatSchemas/nbformat.v4.1.schema.json';
import v42 from './nbformatSchemas/nbformat.v4.2.schema.json';
import v43 from './nbformatSchemas/nbformat.v4.3.schema.json';
import v44 from './nbformatSchemas/nbformat.v4.4.schema.json';
import v45 from './nbformatSchemas/nbformat.v4.5.schema.json';
import { schemaError, type ISchemaDefinitions } from './schemaErrors';

/** The newest nbformat 4 minor version whose schema is vendored; newer ones may add cell and output types. */
export const NEWEST_KNOWN_MINOR = 5;

/**
 * Check a notebook against nbformat's official JSON schema for its own `nbformat_minor` (4.0 to 4.5, vendored
 * from nbformat in `nbformatSchemas/`). Each schema is compiled once, on first use, so a caller that only ever
 * sees 4.5 notebooks compiles one.
 *
 * A minor version newer than 5 is checked the way nbformat's own validator checks it: against the 4.5 schema
 * with every `additionalProperties: false` relaxed and with unrecognised cell and output types allowed. That
 * keeps what a newer Jupyter wrote (new keys, new cell types) instead of refusing it, still checks every part
 * that 4.5 defines, and gives the same verdict as `nbformat.validate`.
 *
 * Runs in the browser too: no Node APIs, and ajv compiles the schemas at run time. Expects a notebook whose
 * `nbformat` and `nbformat_minor` have been checked (4, and a whole number of at least 0).
 * @throws {NotebookFormatError} INVALID_NOTEBOOK (INVALID_CELL_ID for a cell's id) with the path of the first
 *   problem, in words, never ajv's own text.
 */
export function checkNbformatSchema(nb: INotebook): void {
  const minor = nb.nbformat_minor;
  const key = minor > NEWEST_KNOWN_MINOR ? Private.NEWER_KEY : `nbformat-v4.${minor}`;
  const validate = Private.validator(key);
  if (!validate(nb)) {
    throw schemaError(validate.errors ?? [], nb, Private.definitionsOf(key));
  }
}

namespace Private {
  /** The schema used for minor versions newer than {@link NEWEST_KNOWN_MINOR}. */
  export const NEWER_KEY = 'nbformat-v4-newer';

  const SCHEMAS: Record<string, () => AnySchemaObject> = {
    'nbformat-v4.0': () => v40,
    'nbformat-v4.1': () => v41,
    'nbformat-v4.2': () => v42,
    'nbformat-v4.3': () => v43,
    'nbformat-v4.4': () => v44,
    'nbformat-v4.5': () => v45,
    [NEWER_KEY]: () => relaxed(v45)
  };

  let ajv: Ajv | undefined;
  const added = new Map<string, AnySchemaObject>();
  const validators = new Map<string, ValidateFunction>();

  /** As nbformat's `get_validator` does for a notebook from the future. */
  function relaxed(schema: AnySchemaObject): AnySchemaObject {
    const copy = JSON.parse(JSON.stringify(schema), (key, value) => (key === 'additionalProperties' ? true : value));
    copy.definitions.cell.oneOf.push({ $ref: '#/definitions/unrecognized_cell' });
    copy.definitions.output.oneOf.push({ $ref: '#/definitions/unrecognized_output' });
    return copy;
  }

  function schema(key: string): AnySchemaObject {
    let found = added.get(key);
    if (found === undefined) {
      if (!Object.prototype.hasOwnProperty.call(SCHEMAS, key)) {
        throw new Error(`no nbformat schema is called ${key}`);
      }
      // nbformat's schemas carry annotations ajv's strict mode does not know ("item", "source_hidden").
      // verbose errors carry the failing schema, which the messages need; it costs nothing when a notebook is valid.
      ajv ??= new Ajv({ strict: false, verbose: true });
      found = SCHEMAS[key]();
      ajv.addSchema(found, key);
      added.set(key, found);
    }
    return found;
  }

  /** The compiled check for a schema (`key`) or one of its parts (`key#/definitions/code_cell`). */
  export function validator(ref: string): ValidateFunction {
    let validate = validators.get(ref);
    if (validate === undefined) {
      schema(ref.split('#')[0]);
      validate = ajv?.getSchema(ref);
      if (validate === undefined) {
        throw new Error(`nbformat schema ${ref} is missing`);
      }
      validators.set(ref, validate);
    }
    return validate;
  }

  export function definitionsOf(key: string): ISchemaDefinitions {
    const definitions = schema(key).definitions as Record<string, AnySchemaObject>;
    return {
      check(definition, value) {
        const validate = validator(`${key}#/definitions/${definition}`);
        return validate(value) ? null : (validate.errors ?? []);
      },
      keysOf: definition => Object.keys(definitions[definition]?.properties ?? {})
    };
  }
}
