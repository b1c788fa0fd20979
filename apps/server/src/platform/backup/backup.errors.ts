import { defineError } from '../errors.ts';

export const BackupErrors = {
  running: defineError('MCART_ERR_BACKUP_RUNNING', 409, 'A backup is already running'),
  notFound: defineError('MCART_ERR_NOT_FOUND', 404, 'Not found'),
  notReady: defineError('MCART_ERR_BACKUP_NOT_READY', 409, 'The backup has no file to download'),
  drillRunning: defineError('MCART_ERR_BACKUP_DRILL_RUNNING', 409, 'A restore drill is already running'),
  fileMissing: defineError('MCART_ERR_BACKUP_FILE_MISSING', 404, 'The backup file is missing'),
};
