/**
 * The CEL evaluator, pinned here once (chosen by measurement: docs/cel.md). A full `npm:`
 * specifier for the same reason as `yaml.ts`.
 *
 * @module
 */

export { Environment, EvaluationError, ParseError } from "npm:@marcbachmann/cel-js@8.0.0";
