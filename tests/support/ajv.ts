/**
 * The JSON Schema validator the tests check `docs/output.schema.json` with (tests only: the
 * library and the CLI do not depend on it). Pinned here once.
 *
 * @module
 */

export { Ajv2020 } from "npm:ajv@8.17.1/dist/2020.js";
