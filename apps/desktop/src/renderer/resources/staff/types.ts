import type { StaffRole } from '../../auth/authProvider.ts';

/** `AdminStaffDto` (apps/server/src/modules/identity/staff.schemas.ts). */
export interface StaffRecord {
  id: string;
  email: string;
  role: StaffRole;
  firstName: string;
  lastName: string;
  disabled: boolean;
  totpEnabled: boolean;
  /** The member has not yet replaced the temporary password of a reset (absent from older servers). */
  passwordChangeRequired?: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}
