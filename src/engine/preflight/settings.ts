/** The parts of livemig.yml that pre-flight uses, read once. */
import type { Config } from '../../config/schema.js';
import type { PreflightSettings } from './facts.js';

/** Reads the pre-flight settings from the configuration. */
export function preflightSettings(config: Config): PreflightSettings {
  const { cluster, nova } = config;
  return {
    release: nova.release,
    instancesPath: nova.instancesPath,
    controller: cluster.controller.name,
    hypervisors: cluster.hypervisors.map((hypervisor) => hypervisor.name),
    linkMiBpsByHost: Object.fromEntries(
      cluster.hypervisors.map((hypervisor) => [hypervisor.name, hypervisor.linkMiBps ?? cluster.linkMiBps]),
    ),
    maxDowntimeMs: nova.maxDowntimeMs,
    completionTimeoutSecPerGiB: nova.completionTimeoutSecPerGiB,
    downtimeBudgetMs: config.limits.downtimeBudgetMs,
  };
}
