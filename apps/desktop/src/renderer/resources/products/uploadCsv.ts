import type { HttpClient } from '../../api/http.ts';
import type { TokenStore } from '../../auth/tokenStore.ts';
import { interpretImportResponse, type ImportOutcome } from './csvReport.ts';

export interface UploadOptions {
  baseUrl: string;
  tokens: TokenStore | undefined;
  http: HttpClient;
  file: File;
  dryRun: boolean;
  /** 0..1 of the file sent; the server then parses and answers. */
  onProgress: (fraction: number) => void;
}

function send(options: UploadOptions): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    // fetch has no upload progress; XMLHttpRequest's upload events drive the progress bar.
    xhr.open('POST', `${options.baseUrl}/api/admin/products/import?dryRun=${String(options.dryRun)}`);
    const token = options.tokens?.get()?.accessToken;
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress(event.loaded / event.total);
    };
    xhr.upload.onload = () => options.onProgress(1);
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => resolve({ status: 0, body: { title: 'mcart.error.network' } });
    const form = new FormData();
    form.append('file', options.file, options.file.name);
    xhr.send(form);
  });
}

/** Dry run or import of a CSV file; one token refresh and retry on 401, like every other request. */
export async function uploadCsv(options: UploadOptions): Promise<ImportOutcome> {
  let answer = await send(options);
  if (answer.status === 401 && (await options.http.refreshSession())) {
    options.onProgress(0);
    answer = await send(options);
  }
  return interpretImportResponse(answer.status, answer.body);
}
