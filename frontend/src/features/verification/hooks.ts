/** Server state of the verification screens: TanStack Query over the generated client. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../../api/client";
import type { components, operations } from "../../api/generated/verification";
import { useApi } from "../../app/auth";

export type RunRead = components["schemas"]["RunRead"];
export type OutcomeRead = components["schemas"]["OutcomeRead"];
export type RegisterPerson = components["schemas"]["RegisterPersonRead"];
export type RunRejection = components["schemas"]["verification__runs__schemas__RejectionRead"];
export type SourceRead = components["schemas"]["SourceRead"];
export type BatchRead = components["schemas"]["BatchRead"];
export type TariffOut = components["schemas"]["TariffOut"];
export type TariffIn = components["schemas"]["TariffIn"];
export type RegistryRunStart = components["schemas"]["RegistryRunStart"];
export type OutcomeQuery = NonNullable<operations["runs-outcomes"]["parameters"]["query"]>;

export const verificationKeys = {
  all: ["verification"] as const,
  runs: (limit: number, offset: number) => ["verification", "runs", limit, offset] as const,
  run: (id: string) => ["verification", "run", id] as const,
  outcomes: (id: string, q: OutcomeQuery) => ["verification", "run", id, "outcomes", q] as const,
  rejections: (id: string, offset: number) => ["verification", "run", id, "rejections", offset] as const,
  sources: ["verification", "sources"] as const,
  batches: (code: string) => ["verification", "sources", code, "batches"] as const,
  tariffs: ["verification", "tariffs"] as const,
};

const unfinished = (run: RunRead | undefined) => run !== undefined && (run.status === "queued" || run.status === "running");

export function useRuns(limit: number, offset: number) {
  const api = useApi();
  return useQuery({
    queryKey: verificationKeys.runs(limit, offset),
    queryFn: ({ signal }) => unwrap(api.verification.GET("/runs", { params: { query: { limit, offset } }, signal })),
    placeholderData: keepPreviousData,
    // A running run's stage moves on: the list refreshes while any run is unfinished.
    refetchInterval: (q) => (q.state.data?.items.some(unfinished) ? 3000 : false),
  });
}

/** A run; re-read every 2 s while it is queued or running (its stage and counts move on). */
export function useRun(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: verificationKeys.run(id),
    queryFn: ({ signal }) => unwrap(api.verification.GET("/runs/{run_id}", { params: { path: { run_id: id } }, signal })),
    retry: false,
    refetchInterval: (q) => (unfinished(q.state.data) ? 2000 : false),
  });
}

export function useOutcomes(id: string, query: OutcomeQuery, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: verificationKeys.outcomes(id, query),
    queryFn: ({ signal }) =>
      unwrap(api.verification.GET("/runs/{run_id}/outcomes", { params: { path: { run_id: id }, query }, signal })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useRunRejections(id: string, offset: number, limit = 25) {
  const api = useApi();
  return useQuery({
    queryKey: verificationKeys.rejections(id, offset),
    queryFn: ({ signal }) =>
      unwrap(api.verification.GET("/runs/{run_id}/rejections", { params: { path: { run_id: id }, query: { limit, offset } }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useSources() {
  const api = useApi();
  return useQuery({
    queryKey: verificationKeys.sources,
    queryFn: ({ signal }) => unwrap(api.verification.GET("/sources", { signal })),
  });
}

export function useBatches(code: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: verificationKeys.batches(code ?? ""),
    queryFn: ({ signal }) =>
      unwrap(api.verification.GET("/sources/{code}/batches", { params: { path: { code: code ?? "" }, query: { limit: 50 } }, signal })),
    enabled: code !== null,
  });
}

export function useTariffs(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: verificationKeys.tariffs,
    queryFn: ({ signal }) => unwrap(api.verification.GET("/tariffs", { signal })),
    enabled,
  });
}

export function usePutTariff() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ year, body }: { year: number; body: TariffIn }) =>
      unwrap(api.verification.PUT("/tariffs/{year}", { params: { path: { year } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: verificationKeys.tariffs }),
  });
}

/** Start a run on the registry's persons non-working on ``as_of`` (no file: the service reads
 * the register of insured persons itself). */
export function useStartRegistryRun() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: RegistryRunStart) => unwrap(api.verification.POST("/runs/from-registry", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["verification", "runs"] }),
  });
}

export function useInvalidateVerification() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: verificationKeys.all });
}

/** Where a register file is POSTed to start a run (the file is the body, the rest the query). */
export function startRunUrl(params: { periodFrom: string; periodTo: string; asOf: string; previousRunId: string }): string {
  const query = new URLSearchParams({ period_from: params.periodFrom, period_to: params.periodTo, as_of: params.asOf });
  if (params.previousRunId) query.set("previous_run_id", params.previousRunId);
  return `/api/verification/runs?${query}`;
}

export function answerUrl(code: string): string {
  return `/api/verification/sources/${encodeURIComponent(code)}/answers`;
}

export type ReviewItem = components["schemas"]["ReviewItem"];
export type SourceRecordRead = components["schemas"]["SourceRecordRead"];
export type DecisionIn = components["schemas"]["DecisionIn"];
export type RunSavings = components["schemas"]["RunSavingsRead"];
export type ReviewQuery = NonNullable<operations["review-list"]["parameters"]["query"]>;

export function useReviews(runId: string, query: ReviewQuery) {
  const api = useApi();
  return useQuery({
    queryKey: ["verification", "run", runId, "reviews", query],
    queryFn: ({ signal }) =>
      unwrap(api.verification.GET("/runs/{run_id}/reviews", { params: { path: { run_id: runId }, query }, signal })),
    placeholderData: keepPreviousData,
  });
}

/** The operator's decision on a pair; the run (counts), its outcomes and queue read anew. */
export function useDecide(runId: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ pairId, body }: { pairId: string; body: DecisionIn }) =>
      unwrap(
        api.verification.POST("/runs/{run_id}/reviews/{pair_id}/decision", {
          params: { path: { run_id: runId, pair_id: pairId } },
          body,
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: verificationKeys.run(runId) }),
  });
}

export function useRunSavings(runId: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: ["verification", "run", runId, "savings"],
    queryFn: ({ signal }) => unwrap(api.verification.GET("/runs/{run_id}/savings", { params: { path: { run_id: runId } }, signal })),
    enabled,
  });
}

/** Starts an export job of a run (the GET answers the job; its file is the job's output). */
export function useExport(runId: string) {
  const api = useApi();
  return useMutation({
    mutationFn: ({ what, format }: { what: "actual-register" | "exclusions"; format: "csv" | "xlsx" | "xml" }) =>
      what === "actual-register"
        ? unwrap(api.verification.GET("/runs/{run_id}/actual-register", { params: { path: { run_id: runId }, query: { format } } }))
        : unwrap(
            api.verification.GET("/runs/{run_id}/exclusions", {
              params: { path: { run_id: runId }, query: { format: format === "xml" ? "csv" : format } },
            }),
          ),
  });
}

export type RunStatistics = components["schemas"]["RunStatisticsRead"];

export function useRunStatistics(runId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ["verification", "run", runId, "statistics"],
    queryFn: ({ signal }) => unwrap(api.verification.GET("/runs/{run_id}/statistics", { params: { path: { run_id: runId } }, signal })),
  });
}

export function useTrends() {
  const api = useApi();
  return useQuery({
    queryKey: ["verification", "trends"],
    queryFn: ({ signal }) => unwrap(api.verification.GET("/statistics/trends", { signal })),
  });
}

export type BatchRejection = components["schemas"]["verification__sources__schemas__RejectionRead"];

export function useBatchRejections(code: string, batchId: string | null, offset: number) {
  const api = useApi();
  return useQuery({
    queryKey: ["verification", "sources", code, "batches", batchId, "rejections", offset],
    queryFn: ({ signal }) =>
      unwrap(
        api.verification.GET("/sources/{code}/batches/{batch_id}/rejections", {
          params: { path: { code, batch_id: batchId ?? "" }, query: { limit: 25, offset } },
          signal,
        }),
      ),
    enabled: batchId !== null,
    placeholderData: keepPreviousData,
  });
}
