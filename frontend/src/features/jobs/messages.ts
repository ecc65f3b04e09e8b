/** Texts of the "Задания" pages (Russian is the source of the keys, English has them all). */
import { useCallback } from "react";
import { useI18n } from "../../app/i18n";

export const ru = {
  "jobs.title": "Задания",
  "jobs.subtitle": "Загрузки и другие длительные задания в сервисах, которые вам доступны",
  "jobs.none": "Заданий нет.",
  "jobs.noServices": "Для ваших ролей нет сервисов с заданиями.",
  "jobs.job": "Задание",
  "jobs.status": "Состояние",
  "jobs.progress": "Ход",
  "jobs.createdAt": "Создано",
  "jobs.finishedAt": "Завершено",
  "jobs.author": "Автор",
  "jobs.you": "вы",
  "jobs.other": "другой пользователь",
  "jobs.allStatuses": "Все состояния",
  "jobs.onlyMine": "Только мои",
  "jobs.back": "Все задания",
  "jobs.inputs": "Загруженные файлы",
} as const;

export type JobsKey = keyof typeof ru;

export const en: Record<JobsKey, string> = {
  "jobs.title": "Jobs",
  "jobs.subtitle": "Uploads and other long jobs in the services available to you",
  "jobs.none": "No jobs.",
  "jobs.noServices": "No services with jobs for your roles.",
  "jobs.job": "Job",
  "jobs.status": "Status",
  "jobs.progress": "Progress",
  "jobs.createdAt": "Created",
  "jobs.finishedAt": "Finished",
  "jobs.author": "Author",
  "jobs.you": "you",
  "jobs.other": "another user",
  "jobs.allStatuses": "All statuses",
  "jobs.onlyMine": "Only mine",
  "jobs.back": "All jobs",
  "jobs.inputs": "Uploaded files",
};

export function useJobsText() {
  const { lang } = useI18n();
  return useCallback(
    (key: JobsKey, params?: Record<string, string | number>) => {
      const text = (lang === "en" ? en : ru)[key];
      return params ? text.replace(/\{(\w+)\}/g, (w, k: string) => (k in params ? String(params[k]) : w)) : text;
    },
    [lang],
  );
}
