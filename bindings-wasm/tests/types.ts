// Type-checks the module's TypeScript declarations (zave_wasm.d.ts) against how callers use
// them: `tsc --noEmit --strict` runs on this file in scripts/test-wasm. Not executed.
import {
  type Diagnostic,
  type DiffResult,
  type Field,
  type ProfileInfo,
  type RenderResult,
  type SummaryResult,
  type ValidateResult,
  type ZaveError,
  diff,
  offers,
  profileSource,
  profiles,
  render,
  schema,
  summary,
  validate,
  version,
} from '../www/pkg/zave_wasm.js';

const text: string = 'apiVersion: zave.io/v1\n';
const rendered: RenderResult = render(text, { profile: 'aws', image: 'x', version: 'sha-0123abc', bundle: 'b', strict: true });
const fromBytes: RenderResult = render(new Uint8Array([0x61]), { profileYaml: 'kind: Profile\n' });
const checked: ValidateResult = validate(text, { profile: 'kind', strict: false });
const changes: DiffResult = diff(text, { profile: 'kind' }, { profile: 'aws' });
const list: ProfileInfo[] = profiles();
const source: string = profileSource('kind');
const contractSchema: object = schema('contract');
const release: string = version();
const summarized: SummaryResult = summary(text, { profile: 'aws' });
const carriers: Array<[string, string]> = summarized.lines.map((l) => [l.object, l.path]);
const fields: Field[] = offers({ profile: 'linode' });
const standing: 'allowed' | 'reserved' | 'refused' | undefined = fields[0]?.values[0]?.standing;
const fix: string | undefined = rendered.fixes[0]?.replacement;

const first: Diagnostic | undefined = rendered.diagnostics[0];
const line: number | null = first?.line ?? null;
const severity: 'error' | 'warning' | undefined = first?.severity;
const paths: string[] = rendered.files.map((file) => file.path);
const kinds: Array<'object' | 'kustomization'> = rendered.files.map((file) => file.kind);
const written: Array<[string, string]> = rendered.tree.map((file) => [file.path, file.content]);
const change: 'added' | 'removed' | 'modified' | undefined = changes.files[0]?.change;

function explain(error: unknown): string {
  const zave = error as ZaveError;
  return `${zave.kind}: ${zave.message} (${zave.diagnostics.length} findings)`;
}

// @ts-expect-error: an option that does not exist
render(text, { profle: 'aws' });
// @ts-expect-error: strict is a boolean
validate(text, { strict: 'yes' });
// @ts-expect-error: only two schemas exist
schema('workload');

export const used = [summarized, carriers, standing, fix, fromBytes, checked, list, source, contractSchema, release, line, severity, paths, kinds, written, change, explain];
