// How API errors read. Claude Code reports a request the person cancelled (Esc) as an api_error
// with the message "Request was aborted." and no HTTP status; the API counts those as api_aborts
// and leaves them out of api_failure_rate. The dashboard names them for what they are.

import { statusCodeLabel } from './format';

export const ABORT_MESSAGE = 'Request was aborted.';

// "Request was aborted. (by the user)"; any other message as sent.
export function errorLabel(message: string): string {
  return message === ABORT_MESSAGE ? `${message} (by the user)` : message;
}

export function failureKeyLabel(key: 'error' | 'status_code', value: string): string {
  return key === 'error' ? errorLabel(value) : statusCodeLabel(value);
}
