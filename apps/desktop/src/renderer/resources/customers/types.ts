/** `AdminCustomerDto` / `AdminCustomerDetailDto` (apps/server/src/modules/identity/customer.schemas.ts). */
export interface CustomerAddress {
  id: string;
  name: string;
  company?: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
  phone?: string;
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
