// Type declarations of the id-precheck embed module (id-precheck.js).

export type Locale = 'zh-CN' | 'en';
export type Status = 'pass' | 'warn' | 'fail';
export type FieldKind = 'name' | 'id-number' | 'passport-number' | 'phone' | 'passport-expiry' | 'mrz';
export type DocumentType = 'id-card' | 'passport';
export type Slot = 'id-front' | 'id-back' | 'passport-data' | 'passport-visa' | 'face' | 'selfie-with-document';

/** Every error the module throws or rejects with. */
export interface PrecheckError extends Error {
  /**
   * Stable: `not-initialised`, `load-failed`, `options-invalid`, `config-invalid`,
   * `locale-unsupported`, `field-kind-unknown`, `slot-unknown`, `element-invalid`,
   * `input-invalid`, `destroyed`, `cancelled`; for a photo that cannot be checked the photo
   * error's code (`empty`, `unsupported-format`, `corrupt`, `too-large`, `too-many-pixels`, `unreadable`),
   * `config` or `crashed`.
   */
  code: string;
}

export interface InitOptions {
  /** Where id-precheck.js's files are served (default: the module's own folder). */
  baseUrl?: string;
}

export interface FieldOptions {
  locale?: Locale;
  /** Passport issuing country, ISO 3166-1 alpha-3 (default `CHN`). */
  country?: string;
  /** For `mrz`: the typed fields it is cross-checked with. */
  passportNumber?: string;
  name?: string;
  /** `YYYY-MM-DD`. */
  expiry?: string;
}

export interface Issue {
  /** Stable code (public API): key your own UI on it. */
  code: string;
  severity: 'fail' | 'warn' | 'info';
  message: string;
}

export interface FieldReport {
  kind: FieldKind;
  input: string;
  status: Status;
  normalized: string;
  issues: Issue[];
}

/** The photo rules JSON of `precheck photo --rules`: slot (or `all`) → check id → rule → limits. */
export type PhotoRules = Record<string, Record<string, Record<string, { warn?: number | null; fail?: number | null }>>>;

export interface PhotoOptions {
  locale?: Locale;
  rules?: PhotoRules;
}

export interface PhotoCheck {
  id: string;
  status: Status;
  value: number;
  threshold: number | null;
  code: string;
  message: string;
}

export interface PhotoReport {
  slot: Slot;
  width: number;
  height: number;
  status: Status;
  checks: PhotoCheck[];
  metrics: Record<string, number | null>;
  glare_boxes: { x: number; y: number; width: number; height: number }[];
  document_quad: { x: number; y: number }[] | null;
  face_boxes: { x: number; y: number; width: number; height: number; score: number }[];
}

export interface MountConfig {
  locale?: Locale;
  /** The documents offered, in order (default both). */
  documents?: DocumentType[];
  /** Slots that must be filled (default: every offered slot but `passport-visa`); the rest may stay empty. */
  required?: Slot[];
  /** Whether the passport visa page is asked for (default `optional`). */
  passportVisa?: 'off' | 'optional' | 'required';
  /** Photo thresholds (the CLI's `--rules` JSON). */
  rules?: PhotoRules;
  /** The upload-ready JPEG's limits. */
  uploadImage?: { maxLongSide?: number; maxBytes?: number };
  /** The built-in upload after submitting (without it, upload what `precheck:submit` carries). */
  upload?: UploadConfig;
  /** Where the module's files are served (default: as given to init()). */
  baseUrl?: string;
}

export interface UploadConfig {
  /** The multipart endpoint, or the tus creation endpoint. */
  url: string;
  /** Default `multipart`. */
  protocol?: 'multipart' | 'tus';
  /** Extra request headers (e.g. the host session's token). */
  headers?: Record<string, string>;
  /** No progress for this long counts as a timeout (retried), ms; default 30000, ≥ 1000. */
  timeoutMs?: number;
  /** Consecutive failures before the upload stops and offers a retry; default 8. */
  maxAttempts?: number;
  /** First retry delay and its cap, ms; defaults 1000 and 30000. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** tus PATCH size, bytes; default 524288, ≥ 16384. */
  chunkSize?: number;
}

/** `code` of an upload error. */
export type UploadErrorCode =
  | 'upload-offline'
  | 'upload-network'
  | 'upload-timeout'
  | 'upload-refused'
  | 'upload-too-large'
  | 'upload-protocol';

export interface UploadProgress {
  phase: 'sending' | 'waiting' | 'paused' | 'failed' | 'cancelled' | 'done';
  sent: number;
  total: number;
  /** `fields` (tus only) and each photo slot. */
  parts: { name: string; sent: number; total: number }[];
  /** Failures in a row so far. */
  failures: number;
  error: { code: UploadErrorCode; status?: number; detail?: string } | null;
  /** While waiting: the delay before the retry, ms. */
  retryInMs: number | null;
}

export type UploadedDetail =
  | { protocol: 'multipart'; status: number; body: string; idempotencyKey: string }
  | { protocol: 'tus'; submission: string; uploads: { name: string; url: string }[] };

export interface FieldState {
  /** `null` while nothing is shown yet. */
  status: Status | null;
  codes: string[];
}

export interface PhotoState {
  state: 'empty' | 'checking' | 'checked' | 'failed';
  status: Status | null;
  optional: boolean;
  uploadReady: boolean;
  error: { code: string; message: string } | null;
  report: PhotoReport | null;
}

export interface FormState {
  locale: Locale;
  document: DocumentType;
  country: string;
  /** What submitting would meet. */
  readiness: Status;
  /** Everything passes. */
  ready: boolean;
  submitted: boolean;
  fields: Partial<Record<FieldKind, FieldState>>;
  photos: Partial<Record<Slot, PhotoState>>;
  /** The fields as typed (`getState()` only, not in events). */
  values?: Partial<Record<FieldKind, string>>;
}

export interface SubmittedPhoto {
  slot: Slot;
  /** The upload-ready JPEG, without EXIF or GPS. */
  file: Blob;
  width: number;
  height: number;
  bytes: number;
  status: Status;
  report: PhotoReport | null;
}

export interface SubmitDetail {
  document: DocumentType;
  country: string;
  /** Normalised values by field kind. */
  fields: Partial<Record<FieldKind, string>>;
  photos: SubmittedPhoto[];
}

export interface PrecheckEventMap {
  'precheck:change': CustomEvent<FormState>;
  'precheck:ready': CustomEvent<FormState>;
  'precheck:submit': CustomEvent<SubmitDetail>;
  'precheck:upload-progress': CustomEvent<UploadProgress>;
  'precheck:uploaded': CustomEvent<UploadedDetail>;
  'precheck:error': CustomEvent<
    | { slot: Slot; error: { code: string; message: string } }
    | { stage: 'upload'; error: { code: UploadErrorCode; message: string; detail: object } }
  >;
  /**
   * The module crashed (a bug) and the form was started again with every typed value and
   * photo kept; the `MountedForm` handle and the module's functions go on working.
   */
  'precheck:restarted': CustomEvent<{ reason: 'crashed' }>;
}

export interface MountedForm {
  /** Removes the form and stops its worker. */
  destroy(): void;
  getState(): FormState | null;
  /** Presses submit; returns the readiness met. `precheck:submit` follows when it passes. */
  submit(): Status;
  /** Empties every field and photo; `precheck:change` follows only if a status changed. */
  reset(): void;
}

export default function init(options?: InitOptions): Promise<void>;
export function validateField(kind: FieldKind, value: string, options?: FieldOptions): FieldReport;
export function messageCatalogue(locale?: Locale): Record<string, string>;
export function checkPhoto(
  input: Blob | File | ImageBitmap | ImageData,
  slot: Slot,
  options?: PhotoOptions,
): Promise<PhotoReport>;
export function mount(element: Element, config?: MountConfig): MountedForm;
