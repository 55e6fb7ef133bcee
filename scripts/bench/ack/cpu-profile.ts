/**
 * Reads a V8 CPU profile (node --cpu-prof) and says what the main thread spent its time on in a
 * window: each sample is charged to the nearest frame on its stack that belongs to a package or
 * to a folder of livemig (so crypto called by ssh2 counts as ssh2), else to V8's own buckets
 * (idle, garbage collector, program) or to Node's internals.
 */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Time charged to one category, largest first. */
export interface CpuShare {
  category: string;
  ms: number;
}

/** Categories of the samples taken between fromUs and toUs (CLOCK_MONOTONIC µs), largest first. */
export async function summariseCpuProfile(path: string, fromUs: number, toUs: number): Promise<CpuShare[]> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const categoryOf = new Map<number, string>();
  const categorise = (id: number): string => {
    const known = categoryOf.get(id);
    if (known !== undefined) return known;
    let category: string | undefined;
    for (let at: number | undefined = id; at !== undefined && !category; at = parentOf.get(at)) {
      category = ownerOf(byId.get(at)!.callFrame.url);
    }
    category ??= leafBucket(byId.get(id)!.callFrame);
    categoryOf.set(id, category);
    return category;
  };
  const totals = new Map<string, number>();
  let timeUs = profile.startTime;
  profile.samples.forEach((id, i) => {
    const deltaUs = profile.timeDeltas[i] ?? 0;
    timeUs += deltaUs;
    if (timeUs < fromUs || timeUs > toUs) return;
    const category = categorise(id);
    totals.set(category, (totals.get(category) ?? 0) + deltaUs / 1000);
  });
  return [...totals.entries()]
    .map(([category, ms]) => ({ category, ms }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 8);
}

/** The package (node_modules/NAME or @scope/name) or livemig folder (src/ssh, commands…) of a script. */
function ownerOf(url: string): string | undefined {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  const own = /\/(src\/[^/]+|commands)\//.exec(url);
  return own ? `livemig ${own[1]}` : undefined;
}

function leafBucket(frame: { functionName: string; url: string }): string {
  if (frame.functionName === '(idle)') return 'idle';
  if (frame.functionName === '(garbage collector)') return 'garbage collector';
  if (frame.functionName === '(program)') return 'V8/native (program)';
  if (frame.functionName === 'parse' || frame.functionName === 'stringify') return 'JSON';
  return 'node internals';
}
