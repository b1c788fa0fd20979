import { defineError } from '../../platform/errors.ts';

export const NotificationErrors = {
  messageNotFound: defineError('MCART_ERR_MESSAGE_NOT_FOUND', 404, 'No such message in the mailbox'),
  /** `POST /api/admin/outgoing-mail/{id}/retry` of an id the queue does not hold (or holds no more: purged). */
  mailNotFound: defineError('MCART_ERR_MAIL_NOT_FOUND', 404, 'No such e-mail in the queue'),
  /** A retry of an e-mail that is not failed (pending, being sent or sent): its status is said as `mailStatus`. */
  mailNotFailed: defineError('MCART_ERR_MAIL_NOT_FAILED', 409, 'Only a failed e-mail can be retried'),
};
