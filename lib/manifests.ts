/**
 * Reading Kubernetes objects from manifests: YAML (multi-document) and JSON (an object, a
 * `List`, an array, JSON lines) files, directories of them and stdin, with `List` kinds
 * expanded. Files and stdin are read as streams and objects handed on one at a time, so memory
 * holds one document, not the input. Every problem is an {@linkcode InputError} naming the file
 * and line.
 *
 * @module
 */

import { InputError } from "./errors.ts";
import {
  type InputOptions,
  openInputs,
  readAll,
  readStdin,
  type StdinSource,
} from "./manifest_input.ts";
import type { ManifestObject } from "./manifest_objects.ts";
import { type LoadOptions, streamManifests } from "./manifest_stream.ts";
import { parseYamlDocuments, type YamlDocument, yamlObjects } from "./manifest_yaml.ts";

export type { LoadOptions, ManifestObject, StdinSource, YamlDocument };
export { parseYamlDocuments, readStdin, streamManifests };
export { DEFAULT_MAX_DOCUMENT_SIZE } from "./manifest_stream.ts";

/**
 * Loads every object from the given files, directories (their `.yaml`,
 * `.yml` and `.json` files, sorted by name) and `-` (stdin), in order.
 *
 * @throws {InputError} for a missing file, an unreadable directory, malformed
 *   YAML or JSON, or a document that is not an object with `apiVersion` and `kind`.
 *
 * @example
 * ```ts ignore
 * import { loadManifests } from "@kstatus/kstatus";
 * const objects = await loadManifests(["app.yaml"]);
 * ```
 */
export async function loadManifests(
  paths: readonly string[],
  options: LoadOptions = {},
): Promise<ManifestObject[]> {
  const out: ManifestObject[] = [];
  for await (const obj of streamManifests(paths, options)) out.push(obj);
  return out;
}

/**
 * Reads the given files, directories (their `.yaml`, `.yml` and `.json` files, sorted by name)
 * and `-` (stdin, at most once), in order; `flag` prefixes the stdin error (`--rules `).
 *
 * @throws {InputError} for a missing file, an unreadable directory, or `-` given twice.
 */
export async function readInputs(
  paths: readonly string[],
  options: InputOptions = {},
): Promise<Array<{ text: string; file: string }>> {
  const out: Array<{ text: string; file: string }> = [];
  for await (const input of openInputs(paths, options)) {
    out.push({ text: await readAll(input), file: input.file });
  }
  return out;
}

/**
 * Parses the text of one manifest file held in memory (YAML with `---` separated documents, or
 * JSON, read by the YAML parser) into objects; `List` kinds are expanded into their items (items
 * of a typed list such as `DeploymentList` that have neither `apiVersion` nor `kind` take them
 * from the list, as kubectl does). Empty documents are allowed and yield nothing. Files and
 * stdin are better read with {@linkcode streamManifests}, which also takes JSON arrays and JSON
 * lines.
 *
 * @throws {InputError} naming `file` and the line of the problem.
 *
 * @example
 * ```ts
 * import { parseManifests } from "@kstatus/kstatus";
 * const objects = parseManifests("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", "a.yaml");
 * console.log(objects[0].line); // 1
 * ```
 */
export function parseManifests(text: string, file: string): ManifestObject[] {
  if (text.includes("\0")) {
    throw new InputError("NUL byte: manifests must be text", {
      file,
      line: text.slice(0, text.indexOf("\0")).split("\n").length,
    });
  }
  return yamlObjects(text, file);
}
