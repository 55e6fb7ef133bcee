import { LivemigError } from '../errors.js';
import {
  type CpuData,
  type CpuMap,
  type CpuModel,
  findFeature,
  removeFeature,
  signaturesMatch,
  subtractData,
  takeFeatureNames,
} from './cpu-map.js';
import { disableRemovedFeatures } from './feature-list.js';
import type { BaselineFeature } from './types.js';

/**
 * What a decode describes: a host CPU (`virsh capabilities`: the model must be a subset of the
 * CPU, extras are listed) or a guest CPU (baseline: the model may need disabled features).
 */
export type DecodeTarget = 'host' | 'guest';

export interface DecodeRequest {
  target: DecodeTarget;
  /** Feature bits of the CPU to name. */
  data: CpuData;
  vendor: string | undefined;
  /** Family/model/stepping of a real CPU; baseline data has none. */
  signature?: { family: number; model: number; stepping: number };
  /**
   * The input hosts' model names (baseline). With a single name that model is taken as soon as it
   * is a candidate; with several, they win ties on disabled features.
   */
  preferredModels?: readonly string[];
}

export interface DecodedCpu {
  model: string;
  vendor: string | undefined;
  features: BaselineFeature[];
}

interface Candidate {
  model: CpuModel;
  features: BaselineFeature[];
}

/**
 * Finds the libvirt CPU model that describes `data` best, with the features to add or disable —
 * libvirt 9.0's x86Decode: models are tried newest first (reverse cpu_map order), skipping other
 * vendors' models; a model whose signature matches the CPU wins over one that does not; among
 * the rest the shortest feature list wins (disabled features cost more in a guest CPU), the
 * earlier (newer) model on a tie.
 */
export function decodeCpu(map: CpuMap, request: DecodeRequest): DecodedCpu {
  const data = request.data.slice();
  dropBrokenTsx(map, data, request);

  let best: Candidate | undefined;
  for (let i = map.models.length - 1; i >= 0; i--) {
    const model = map.models[i]!;
    if (request.vendor && model.vendor && model.vendor !== request.vendor) continue;
    if (request.target === 'host' ? !model.decodeHost : !model.decodeGuest) continue;
    const features = describeWithModel(map, data, model, request.target);
    if (request.target === 'host' && features.some((feature) => feature.policy === 'disable')) continue;
    const candidate = { model, features };
    const preferred = request.preferredModels?.includes(model.name) ?? false;
    if (preferred && request.preferredModels?.length === 1) {
      best = candidate;
      break;
    }
    if (!best || isBetter(candidate, best, request, preferred)) best = candidate;
  }
  if (!best)
    throw new LivemigError('cpu_incompatible_set', 'Cannot find a libvirt CPU model for the given CPU data');
  return { model: best.model.name, vendor: request.vendor, features: best.features };
}

function isBetter(
  candidate: Candidate,
  current: Candidate,
  request: DecodeRequest,
  preferred: boolean,
): boolean {
  const signature = request.signature;
  if (signature) {
    const currentMatches = signaturesMatch(current.model.signatures, signature);
    const candidateMatches = signaturesMatch(candidate.model.signatures, signature);
    if (currentMatches && !candidateMatches) return false;
    if (candidateMatches && !currentMatches) return true;
  }
  const penalise = request.target === 'guest';
  const mine = featureListCost(candidate.features, penalise);
  const theirs = featureListCost(current.features, penalise);
  if (mine.total < theirs.total || (mine.total === theirs.total && mine.disabled < theirs.disabled))
    return true;
  return preferred && mine.disabled < theirs.disabled;
}

/**
 * libvirt's virCPUx86CompareCandidateFeatureList: for a guest CPU each disabled feature costs
 * 2, 3, 4, ... instead of 1. The loop bound shrinks as disabled features are found, so trailing
 * disabled features can go uncounted; kept as is because that is what picks libvirt's model.
 */
function featureListCost(
  features: readonly BaselineFeature[],
  penalise: boolean,
): { total: number; disabled: number } {
  if (!penalise) return { total: features.length, disabled: 0 };
  let enabled = features.length;
  let disabled = 0;
  let penalty = 2;
  for (let i = 0; i < enabled; i++) {
    if (features[i]!.policy === 'disable') {
      enabled--;
      disabled += penalty;
      penalty++;
    }
  }
  return { total: enabled + disabled, disabled };
}

/**
 * The features needed to turn `model` into `data` (libvirt's x86DataToCPU): bits the model lacks
 * are required, bits the data lacks are disabled; a guest definition also disables the model's
 * removed features unless they are already mentioned.
 */
function describeWithModel(
  map: CpuMap,
  data: CpuData,
  model: CpuModel,
  target: DecodeTarget,
): BaselineFeature[] {
  const extra = data.slice();
  subtractData(extra, model.data);
  const missing = model.data.slice();
  subtractData(missing, data);
  const features: BaselineFeature[] = [
    ...takeFeatureNames(extra, map).map((name) => ({ name, policy: 'require' as const })),
    ...takeFeatureNames(missing, map).map((name) => ({ name, policy: 'disable' as const })),
  ];
  if (target === 'guest') disableRemovedFeatures(features, model.removedFeatures);
  return features;
}

/**
 * Early Haswell parts advertise TSX that microcode later disabled; libvirt drops hle and rtm from
 * such CPUs before naming them (x86DataFilterTSX). Baseline data has no signature, so it is
 * untouched.
 */
function dropBrokenTsx(map: CpuMap, data: CpuData, request: DecodeRequest): void {
  const signature = request.signature;
  if (request.vendor !== 'Intel' || !signature || signature.family !== 6) return;
  const { model, stepping } = signature;
  if ((model === 63 && stepping < 4) || model === 60 || model === 69 || model === 70) {
    for (const name of ['hle', 'rtm']) {
      const feature = findFeature(map, name);
      if (feature) removeFeature(data, feature);
    }
  }
}
