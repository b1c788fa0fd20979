import type { paths } from '@mcart/api-client';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

/** A customer e-mail of the queue as GET /api/admin/outgoing-mail answers it (ADR 0071), from the generated types. */
export type OutgoingMailRecord = Json<
  paths['/api/admin/outgoing-mail']['get']['responses'][200]
>['data'][number];

export const MAIL_STATUSES = ['failed', 'pending', 'sending', 'sent'] as const;
export type MailStatus = OutgoingMailRecord['status'];

/** The translation key of a template's name in words; an unknown template shows its own name. */
export const templateKey = (template: string) => `resources.outgoing-mail.templates.${template}`;
