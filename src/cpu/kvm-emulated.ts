/**
 * CPU features a KVM guest gets whatever the host CPU has, because KVM (with the in-kernel
 * irqchip libvirt always uses) or QEMU provides them in software.
 *
 * Source followed: QEMU's kvm_arch_get_supported_cpuid (target/i386/kvm/kvm.c), the list libvirt's
 * domain capabilities are built from (`virsh domcapabilities`, host-model, via QEMU's
 * query-cpu-model-expansion of the host CPU), which is what `virsh hypervisor-cpu-compare`
 * compares a guest CPU against:
 * - CPUID 1 ECX `hypervisor`: "We can set the hypervisor flag, even if KVM does not return it";
 * - CPUID 1 ECX `tsc-deadline`: "not returned by GET_SUPPORTED_CPUID, but it can be enabled if the
 *   kernel has KVM_CAP_TSC_DEADLINE_TIMER, and the irqchip is in the kernel";
 * - CPUID 1 ECX `x2apic`: KVM emulates the x2APIC in software irrespective of host support (it
 *   is dropped only without the in-kernel irqchip);
 * - CPUID 6 EAX `arat`: "safe to allow because of emulated APIC".
 * Plain `virsh cpu-compare` (virConnectCompareCPU, and nova's own CPU checks) compares with the
 * host CPU instead, which is why those refuse guests that would run.
 */
export const kvmEmulatedFeatures: readonly string[] = ['arat', 'hypervisor', 'tsc-deadline', 'x2apic'];
