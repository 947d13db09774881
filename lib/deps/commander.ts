/**
 * The command-line parser, pinned here once (see `yaml.ts` for why the
 * specifier is a full `npm:` one).
 *
 * @module
 */

export { Command, CommanderError, Option } from "npm:commander@14.0.3";
