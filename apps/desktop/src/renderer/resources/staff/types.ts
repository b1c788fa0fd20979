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
  createdAt: string;
  lastLoginAt: string | null;
}
