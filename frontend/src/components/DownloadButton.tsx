/** A button that downloads an authenticated URL (see download.ts), with progress and errors. */
import { useEffect, useRef, useState, type ReactNode } from "react";
import { authFetchFor } from "../api/jobs";
import { useApi } from "../app/auth";
import { useI18n } from "../app/i18n";
import { downloadFile } from "./download";
import { ProgressBar } from "./ProgressBar";
import { formatBytes, percentOf } from "./progress";
import { ErrorState } from "./states";
import "./jobs.css";

export function DownloadButton({ url, children, testId }: { url: string; children: ReactNode; testId?: string }) {
  const api = useApi();
  const { lang } = useI18n();
  const [progress, setProgress] = useState<{ loaded: number; total: number | null } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  const start = async () => {
    const abort = new AbortController();
    controller.current = abort;
    setError(null);
    setProgress({ loaded: 0, total: null });
    try {
      await downloadFile(authFetchFor(api), url, {
        signal: abort.signal,
        onProgress: (loaded, total) => setProgress({ loaded, total }),
      });
    } catch (e) {
      if (!abort.signal.aborted) setError(e);
    } finally {
      setProgress(null);
    }
  };

  return (
    <span className="download">
      <button type="button" className="link" disabled={progress !== null} onClick={() => void start()} data-testid={testId}>
        {children}
      </button>
      {progress && (
        <ProgressBar
          percent={percentOf(progress.loaded, progress.total)}
          label={lang === "ru" ? "Скачивание" : "Downloading"}
          detail={formatBytes(progress.loaded, lang)}
        />
      )}
      {error !== null && <ErrorState error={error} />}
    </span>
  );
}
