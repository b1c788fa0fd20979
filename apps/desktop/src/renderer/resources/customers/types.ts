import type { PostalAddress } from '../orders/orderTypes.ts';

/** `AdminCustomerDto` / `AdminCustomerDetailDto` (apps/server/src/modules/identity/customer.schemas.ts). */
export interface CustomerAddress extends PostalAddress {
  id: string;
  isDefault: boolean;
  createdAt: string;
}

export interface CustomerRecord {
  id: string;
  email: string | null;
  firstName: string;
  lastName: string;
  phone: string | null;
  emailVerified: boolean;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  providers: string[];
  addresses?: CustomerAddress[];
}
