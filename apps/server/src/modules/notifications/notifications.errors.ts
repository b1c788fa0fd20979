import { defineError } from '../../platform/errors.ts';

export const NotificationErrors = {
  messageNotFound: defineError('MCART_ERR_MESSAGE_NOT_FOUND', 404, 'No such message in the mailbox'),
};
