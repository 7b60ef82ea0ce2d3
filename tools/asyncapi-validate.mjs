// Validates AsyncAPI documents with the official parser, as a partner's tooling would.
// Usage: node asyncapi-validate.mjs FILE...  Prints one JSON line per document
// ({file, errors, warnings, diagnostics}) and exits 1 when any document has an error.
import { readFile } from "node:fs/promises";
import { Parser, DiagnosticSeverity } from "@asyncapi/parser";

const parser = new Parser();
let failed = false;
for (const file of process.argv.slice(2)) {
  const diagnostics = await parser.validate(await readFile(file, "utf8"), { source: file });
  const count = (severity) => diagnostics.filter((d) => d.severity === severity).length;
  const errors = count(DiagnosticSeverity.Error);
  failed ||= errors > 0;
  const described = diagnostics.map((d) => ({
    severity: d.severity,
    code: d.code,
    message: d.message,
    path: d.path.join("/"),
  }));
  console.log(JSON.stringify({ file, errors, warnings: count(DiagnosticSeverity.Warning), diagnostics: described }));
}
process.exit(failed ? 1 : 0);
