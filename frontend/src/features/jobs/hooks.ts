/** The jobs of a service (GET /api/<service>/jobs), refreshed while some of them are unfinished. */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { authFetchFor, getJson, isTerminal, type JobRead, type JobService, type JobStatus } from "../../api/jobs";
import { useApi } from "../../app/auth";

export interface JobPage {
  items: JobRead[];
  total: number;
  limit: number;
  offset: number;
}

export interface JobQuery {
  limit: number;
  offset: number;
  status?: JobStatus | null;
  /** Only the jobs the current user started (filtered by the service). */
  mine?: boolean;
}

export function jobsUrl(service: JobService, query: JobQuery): string {
  const search = new URLSearchParams({ limit: String(query.limit), offset: String(query.offset) });
  if (query.status) search.set("status", query.status);
  if (query.mine) search.set("mine", "true");
  return `/api/${service}/jobs?${search}`;
}

export function useJobs(service: JobService, query: JobQuery) {
  const api = useApi();
  return useQuery({
    queryKey: ["jobs", service, query],
    queryFn: ({ signal }) => getJson<JobPage>(authFetchFor(api), jobsUrl(service, query), { signal }),
    placeholderData: keepPreviousData,
    // The list is a summary; a job's own page follows it live. Unfinished ones: poll gently.
    refetchInterval: (q) => (q.state.data?.items.some((j) => !isTerminal(j)) ? 2000 : false),
  });
}
