import { QueryClient } from "@tanstack/react-query";
import { ApiProblem } from "../api/problem";

/** Retries only what may pass on a second try: no answer, 502–504. Never 4xx. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= 2) return false;
  if (error instanceof ApiProblem) return error.status === 0 || (error.status >= 502 && error.status <= 504);
  return false;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
