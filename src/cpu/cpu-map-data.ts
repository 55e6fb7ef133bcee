import { z } from 'zod';

/**
 * The shape of src/cpu/x86-cpu-map.json, written by scripts/gen-cpu-map.ts from libvirt's
 * /usr/share/libvirt/cpu_map. Register values stay hex strings exactly as libvirt writes them, so
 * a reader can check a feature's bits against the source file.
 */
const registerValue = z.string().regex(/^0x[0-9a-fA-F]+$/);

const cpuidSchema = z.object({
  eax_in: registerValue,
  ecx_in: registerValue.optional(),
  eax: registerValue.optional(),
  ebx: registerValue.optional(),
  ecx: registerValue.optional(),
  edx: registerValue.optional(),
});

const msrSchema = z.object({ index: registerValue, eax: registerValue, edx: registerValue });

const featureSchema = z.object({
  name: z.string(),
  /** libvirt's migratable='no' (invtsc, xsaves): dropped by `cpu-baseline --migratable`. */
  migratable: z.boolean(),
  aliases: z.array(z.string()),
  cpuid: z.array(cpuidSchema),
  msr: z.array(msrSchema),
});

const signatureSchema = z.object({
  family: z.number().int().positive(),
  model: z.number().int().nonnegative(),
  /** A libvirt bitmap such as "0-4" or "5-7,10"; absent means any stepping. */
  stepping: z.string().optional(),
});

const modelSchema = z.object({
  name: z.string(),
  decode: z.object({ host: z.boolean(), guest: z.boolean() }),
  /** `<model name='..'/>` inside a model: features, signatures and vendor are inherited. */
  parent: z.string().optional(),
  vendor: z.string().optional(),
  signatures: z.array(signatureSchema),
  features: z.array(z.string()),
  /** `<feature name='..' removed='yes'/>`: explicitly disabled in guest definitions of this model. */
  removedFeatures: z.array(z.string()),
});

export const cpuMapDataSchema = z.object({
  source: z.object({
    libvirtVersion: z.string(),
    packageVersion: z.string(),
    cpuMapDir: z.string(),
  }),
  vendors: z.array(z.object({ name: z.string(), string: z.string().length(12) })),
  features: z.array(featureSchema),
  /** In the order libvirt's index.xml includes them: decoding walks this list newest first. */
  models: z.array(modelSchema),
  /** QEMU spellings of feature names (alias -> libvirt name). */
  aliases: z.record(z.string(), z.string()),
});

export type CpuMapData = z.infer<typeof cpuMapDataSchema>;
export type CpuMapFeatureData = z.infer<typeof featureSchema>;
export type CpuMapModelData = z.infer<typeof modelSchema>;
export type CpuMapSignatureData = z.infer<typeof signatureSchema>;
