/**
 * Choose (or drop) one file and upload it as the raw request body with a progress bar and
 * a cancel button. The answer (e.g. a 202 JobRead) goes to `onUploaded`; problems (413,
 * 415, 422 …) are shown as the API words them.
 */
import { useEffect, useId, useRef, useState, type DragEvent, type ReactNode } from "react";
import { useApi } from "../app/auth";
import { useI18n, type Lang } from "../app/i18n";
import { isAbort, uploadFile } from "../api/upload";
import { acceptAttribute, checkFile, type AcceptedType } from "./fileCheck";
import { ProgressBar } from "./ProgressBar";
import { formatBytes, percentOf } from "./progress";
import { ErrorState } from "./states";
import "./jobs.css";

const TEXT = {
  ru: {
    drop: "Перетащите файл сюда или выберите его",
    submit: "Загрузить",
    cancel: "Отменить загрузку",
    clear: "Выбрать другой",
    uploading: "Загрузка файла",
    of: "из",
    cancelled: "Загрузка отменена.",
    badType: "Этот тип файла не принимается. Допустимы: {allowed}.",
    empty: "Файл пуст.",
    tooLarge: "Файл слишком большой: {size}. Допустимо не больше {max}.",
    size: "Размер",
  },
  en: {
    drop: "Drop a file here or choose one",
    submit: "Upload",
    cancel: "Cancel upload",
    clear: "Choose another",
    uploading: "Uploading the file",
    of: "of",
    cancelled: "The upload was cancelled.",
    badType: "This file type is not accepted. Allowed: {allowed}.",
    empty: "The file is empty.",
    tooLarge: "The file is too large: {size}. At most {max} is allowed.",
    size: "Size",
  },
} satisfies Record<Lang, Record<string, string>>;

const fill = (text: string, params: Record<string, string>) => text.replace(/\{(\w+)\}/g, (w, k: string) => params[k] ?? w);

export function FileUpload<T>({
  label,
  accept,
  maxBytes,
  url,
  disabled,
  submitLabel,
  hint,
  onUploaded,
}: {
  /** The file input's label. */
  label: string;
  accept: readonly AcceptedType[];
  maxBytes?: number;
  /** Where the file is POSTed (origin-relative, `/api/<service>/…`). */
  url: string;
  disabled?: boolean;
  submitLabel?: string;
  hint?: ReactNode;
  onUploaded: (answer: T, file: File) => void;
}) {
  const api = useApi();
  const { lang } = useI18n();
  const text = TEXT[lang];
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const controller = useRef<AbortController | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [progress, setProgress] = useState<{ loaded: number; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [cancelled, setCancelled] = useState(false);

  useEffect(() => () => controller.current?.abort(), []); // leaving the page stops the upload

  const check = file ? checkFile(file, accept, maxBytes) : null;
  const problem =
    check && !check.ok
      ? check.reason === "type"
        ? fill(text.badType, { allowed: check.allowed })
        : check.reason === "empty"
          ? text.empty
          : fill(text.tooLarge, { size: formatBytes(file!.size, lang), max: formatBytes(check.maxBytes, lang) })
      : null;
  const uploading = progress !== null;

  const choose = (next: File | null) => {
    setFile(next);
    setError(null);
    setCancelled(false);
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (uploading || disabled) return;
    const dropped = e.dataTransfer.files[0];
    if (dropped) choose(dropped);
  };

  const start = async () => {
    if (!file || !check?.ok) return;
    const abort = new AbortController();
    controller.current = abort;
    setError(null);
    setCancelled(false);
    setProgress({ loaded: 0, total: file.size });
    try {
      const answer = await uploadFile<T>({
        url,
        file,
        filename: file.name,
        contentType: check.mediaType,
        session: api.session,
        signal: abort.signal,
        onProgress: (loaded, total) => setProgress({ loaded, total }),
      });
      setFile(null);
      if (inputRef.current) inputRef.current.value = "";
      onUploaded(answer, file);
    } catch (e) {
      if (isAbort(e)) setCancelled(true);
      else setError(e);
    } finally {
      if (controller.current === abort) controller.current = null;
      setProgress(null);
    }
  };

  return (
    <div className="file-upload">
      <div
        className={dragging ? "dropzone dropzone-active" : "dropzone"}
        onDragOver={(e) => {
          e.preventDefault();
          if (!uploading && !disabled) setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <label htmlFor={inputId}>{label}</label>
        <span className="muted">{text.drop}</span>
        <input
          ref={inputRef}
          id={inputId}
          type="file"
          accept={acceptAttribute(accept)}
          disabled={uploading || disabled}
          onChange={(e) => choose(e.target.files?.[0] ?? null)}
        />
        {hint && <span className="muted">{hint}</span>}
      </div>
      {file && (
        <div className="file-facts" data-testid="chosen-file">
          <strong>{file.name}</strong>
          <span className="muted">
            {text.size}: {formatBytes(file.size, lang)}
          </span>
        </div>
      )}
      {problem && (
        <div className="notice notice-error" role="alert">
          {problem}
        </div>
      )}
      {progress && (
        <ProgressBar
          percent={percentOf(progress.loaded, progress.total)}
          label={text.uploading}
          detail={`${formatBytes(progress.loaded, lang)} ${text.of} ${formatBytes(progress.total, lang)}`}
          testId="upload-progress"
        />
      )}
      <div className="actions">
        {uploading ? (
          <button type="button" className="danger" onClick={() => controller.current?.abort()}>
            {text.cancel}
          </button>
        ) : (
          <button type="button" className="primary" disabled={!check?.ok || disabled} onClick={() => void start()}>
            {submitLabel ?? text.submit}
          </button>
        )}
      </div>
      {cancelled && (
        <div className="notice notice-warn" role="status">
          {text.cancelled}
        </div>
      )}
      {error !== null && <ErrorState error={error} />}
    </div>
  );
}
