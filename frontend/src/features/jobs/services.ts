/**
 * The services whose jobs the "Задания" page lists, and who sees each: the holders of a
 * read permission of one of its job kinds (the service's /jobs answers 403 otherwise).
 * A service that gains job kinds is added here.
 */
import type { JobService } from "../../api/jobs";

export interface JobServiceInfo {
  service: JobService;
  label: { ru: string; en: string };
  /** Read permissions of the service's job kinds. */
  readAnyOf: readonly string[];
}

export const JOB_SERVICES: readonly JobServiceInfo[] = [
  {
    service: "registry",
    label: { ru: "Регистр и НСИ", en: "Register and NSI" },
    readAnyOf: ["registry.nsi:read"],
  },
];

export function jobServicesFor(permissions: readonly string[]): JobServiceInfo[] {
  return JOB_SERVICES.filter((s) => s.readAnyOf.some((p) => permissions.includes(p)));
}

export function isJobService(value: string | undefined): value is JobService {
  return JOB_SERVICES.some((s) => s.service === value);
}
