import { LivemigError } from '../errors.js';
import { type CpuMapData, type CpuMapSignatureData, cpuMapDataSchema } from './cpu-map-data.js';
import rawCpuMap from './x86-cpu-map.json' with { type: 'json' };

/**
 * The x86 CPU map in the form the algorithms use. libvirt compares CPUs as CPUID/MSR bit sets;
 * here every (leaf, sub-leaf, register) or (MSR, half) word that any feature uses gets a slot,
 * and a CPU's data is a Uint32Array over those slots, so intersection and subset tests are word
 * operations, exactly as in libvirt's cpu_x86.c.
 */
export type CpuData = Uint32Array;

/** One word of a feature's bit mask. */
export interface SlotMask {
  slot: number;
  mask: number;
}

export interface CpuFeature {
  name: string;
  /** Position in x86_features.xml: libvirt lists decoded features in this order. */
  index: number;
  migratable: boolean;
  masks: SlotMask[];
}

export interface CpuSignature {
  family: number;
  model: number;
  /** Allowed steppings; undefined means any. */
  steppings: ReadonlySet<number> | undefined;
}

export interface CpuModel {
  name: string;
  decodeHost: boolean;
  decodeGuest: boolean;
  vendor: string | undefined;
  signatures: CpuSignature[];
  /** Feature bits of the model, inheritance resolved. */
  data: CpuData;
  /** Feature names of the model (inheritance resolved), in cpu_map order. */
  featureNames: string[];
  removedFeatures: string[];
}

export interface CpuMap {
  source: CpuMapData['source'];
  slotCount: number;
  vendors: string[];
  features: CpuFeature[];
  featuresByName: ReadonlyMap<string, CpuFeature>;
  models: CpuModel[];
  modelsByName: ReadonlyMap<string, CpuModel>;
  aliases: Readonly<Record<string, string>>;
}

let cached: CpuMap | undefined;

/** The libvirt x86 CPU map shipped with livemig (built once, then shared). */
export function cpuMap(): CpuMap {
  cached ??= buildCpuMap(cpuMapDataSchema.parse(rawCpuMap));
  return cached;
}

/** Builds the runtime map from the JSON document. */
function buildCpuMap(data: CpuMapData): CpuMap {
  const slots = new Map<string, number>();
  const slotOf = (key: string): number => {
    let slot = slots.get(key);
    if (slot === undefined) {
      slot = slots.size;
      slots.set(key, slot);
    }
    return slot;
  };

  const features = data.features.map((feature, index): CpuFeature => {
    const masks: SlotMask[] = [];
    const add = (key: string, value: string | undefined): void => {
      const mask = value === undefined ? 0 : Number(value) >>> 0;
      if (mask !== 0) masks.push({ slot: slotOf(key), mask });
    };
    for (const cpuid of feature.cpuid) {
      const leaf = `cpuid:${Number(cpuid.eax_in)}:${Number(cpuid.ecx_in ?? '0x0')}`;
      for (const register of ['eax', 'ebx', 'ecx', 'edx'] as const)
        add(`${leaf}:${register}`, cpuid[register]);
    }
    for (const msr of feature.msr) {
      add(`msr:${Number(msr.index)}:eax`, msr.eax);
      add(`msr:${Number(msr.index)}:edx`, msr.edx);
    }
    return { name: feature.name, index, migratable: feature.migratable, masks };
  });
  const featuresByName = new Map(features.map((feature) => [feature.name, feature]));
  const slotCount = slots.size;

  const models: CpuModel[] = [];
  const modelsByName = new Map<string, CpuModel>();
  for (const raw of data.models) {
    const parent = raw.parent === undefined ? undefined : modelsByName.get(raw.parent);
    if (raw.parent !== undefined && !parent) {
      throw new LivemigError(
        'parse_failed',
        `CPU model ${raw.name} inherits from unknown model ${raw.parent}`,
      );
    }
    const modelData = parent ? parent.data.slice() : new Uint32Array(slotCount);
    for (const name of raw.features) {
      const feature = featuresByName.get(name);
      if (!feature)
        throw new LivemigError('parse_failed', `CPU model ${raw.name} uses unknown feature ${name}`);
      addFeature(modelData, feature);
    }
    const model: CpuModel = {
      name: raw.name,
      decodeHost: raw.decode.host,
      decodeGuest: raw.decode.guest,
      vendor: raw.vendor ?? parent?.vendor,
      signatures: raw.signatures.length > 0 ? raw.signatures.map(toSignature) : (parent?.signatures ?? []),
      data: modelData,
      featureNames: features
        .filter((feature) => hasFeature(modelData, feature))
        .map((feature) => feature.name),
      removedFeatures: raw.removedFeatures,
    };
    models.push(model);
    modelsByName.set(model.name, model);
  }

  return {
    source: data.source,
    slotCount,
    vendors: data.vendors.map((vendor) => vendor.name),
    features,
    featuresByName,
    models,
    modelsByName,
    aliases: data.aliases,
  };
}

function toSignature(raw: CpuMapSignatureData): CpuSignature {
  return {
    family: raw.family,
    model: raw.model,
    steppings: raw.stepping ? parseBitmap(raw.stepping) : undefined,
  };
}

/** Parses a libvirt bitmap string ("0-4", "5-7,10"). */
function parseBitmap(text: string): Set<number> {
  const bits = new Set<number>();
  for (const part of text.split(',')) {
    const [from, to = from] = part.split('-').map((n) => Number(n.trim()));
    for (let bit = from ?? 0; bit <= (to ?? 0); bit++) bits.add(bit);
  }
  return bits;
}

/** Sets the feature's bits in `data`. */
export function addFeature(data: CpuData, feature: CpuFeature): void {
  for (const { slot, mask } of feature.masks) data[slot] = (data[slot] ?? 0) | mask;
}

/** Clears the feature's bits in `data`. */
export function removeFeature(data: CpuData, feature: CpuFeature): void {
  for (const { slot, mask } of feature.masks) data[slot] = (data[slot] ?? 0) & ~mask;
}

/** Whether every bit of the feature is set in `data` (libvirt's x86DataIsSubset). */
export function hasFeature(data: CpuData, feature: CpuFeature): boolean {
  for (const { slot, mask } of feature.masks) if (((data[slot] ?? 0) & mask) >>> 0 !== mask) return false;
  return true;
}

/** In place: data1 &= data2. */
export function intersectData(data1: CpuData, data2: CpuData): void {
  for (let i = 0; i < data1.length; i++) data1[i] = (data1[i] ?? 0) & (data2[i] ?? 0);
}

/** In place: data1 &= ~data2. */
export function subtractData(data1: CpuData, data2: CpuData): void {
  for (let i = 0; i < data1.length; i++) data1[i] = (data1[i] ?? 0) & ~(data2[i] ?? 0);
}

/** Whether no bit is set. */
export function isEmptyData(data: CpuData): boolean {
  return data.every((word) => word === 0);
}

/**
 * Names the features whose bits are all in `data`, in cpu_map order, clearing each one's bits as
 * it is found — libvirt's x86DataToCPUFeatures, whose clearing matters when features share bits.
 */
export function takeFeatureNames(data: CpuData, map: CpuMap): string[] {
  const names: string[] = [];
  for (const feature of map.features) {
    if (feature.masks.length > 0 && hasFeature(data, feature)) {
      removeFeature(data, feature);
      names.push(feature.name);
    }
  }
  return names;
}

/** Whether a signature list matches family/model/stepping (libvirt's virCPUx86SignaturesMatch). */
export function signaturesMatch(
  signatures: readonly CpuSignature[],
  cpu: { family: number; model: number; stepping: number },
): boolean {
  return signatures.some(
    (signature) =>
      signature.family === cpu.family &&
      signature.model === cpu.model &&
      (signature.steppings === undefined || signature.steppings.has(cpu.stepping)),
  );
}

/** Looks a feature up by its libvirt name; undefined when libvirt would call it unknown. */
export function findFeature(map: CpuMap, name: string): CpuFeature | undefined {
  return map.featuresByName.get(name);
}
