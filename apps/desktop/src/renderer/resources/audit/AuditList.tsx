import { useMemo } from 'react';
import {
  Datagrid,
  DateField,
  FunctionField,
  List,
  SelectInput,
  TextField,
  TextInput,
  useCanAccess,
  useGetList,
} from 'react-admin';
import type { StaffRecord } from '../staff/types.ts';
import { FromDayInput, ToDayInput } from '../../filters/DayRangeInputs.tsx';
import { compactTableSx } from '../../layout/compactTable.ts';
import { AUDIT_METHODS, staffLabel, summarize } from './auditFilters.ts';

interface AuditEntry {
  id: string;
  at: string;
  staffId: string | null;
  action: string;
  method: string | null;
  route: string | null;
  params: Record<string, unknown> | null;
  status: number | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
}

/**
 * Staff names for the log and its filter. The staff list cannot be fetched by id, so the (small)
 * list is read once; a member beyond it shows as its id.
 */
function useStaffDirectory() {
  const { canAccess } = useCanAccess({ resource: 'staff', action: 'list' });
  const { data } = useGetList<StaffRecord>(
    'staff',
    { pagination: { page: 1, perPage: 500 }, sort: { field: 'email', order: 'ASC' } },
    { enabled: canAccess === true },
  );
  return useMemo(() => new Map((data ?? []).map((member) => [member.id, member])), [data]);
}

/**
 * The whole row in a 1024x768 window: closer cells below `xl`, and below `lg` neither the request (an action
 * without a name of its own is its request already) nor the IP; long details break anywhere.
 */
const auditGridSx = {
  ...compactTableSx,
  '& .column-route, & .column-ip': { display: { xs: 'none', lg: 'table-cell' } },
  '& td.wrap-anywhere': { overflowWrap: 'anywhere', minWidth: 120 },
} as const;

/** Read-only on purpose: the server has no route to change or delete an entry. */
export function AuditList() {
  const staff = useStaffDirectory();
  const filters = useMemo(
    () => [
      <SelectInput
        key="staffId"
        source="staffId"
        choices={[...staff.values()].map((member) => ({ id: member.id, name: staffLabel(member.id, staff) }))}
        alwaysOn
      />,
      <TextInput key="action" source="action" helperText="mcart.audit.action_help" />,
      <SelectInput
        key="method"
        source="method"
        choices={AUDIT_METHODS.map((method) => ({ id: method, name: method }))}
      />,
      <FromDayInput key="from" source="from" alwaysOn />,
      <ToDayInput key="to" source="to" alwaysOn />,
    ],
    [staff],
  );
  return (
    <List filters={filters} sort={{ field: 'at', order: 'DESC' }} perPage={50} exporter={false}>
      <Datagrid bulkActionButtons={false} rowClick={false} sx={auditGridSx}>
        <DateField source="at" showTime />
        <FunctionField<AuditEntry>
          source="staffId"
          sortable={false}
          render={(entry) => staffLabel(entry.staffId, staff)}
        />
        <TextField source="action" sortable={false} />
        <FunctionField<AuditEntry>
          source="route"
          sortable={false}
          render={(entry) => [entry.method, entry.route].filter(Boolean).join(' ')}
        />
        <TextField source="status" sortable={false} emptyText="—" />
        <FunctionField<AuditEntry>
          source="details"
          cellClassName="wrap-anywhere"
          sortable={false}
          render={(entry) => summarize(entry.params, entry.details)}
        />
        <TextField source="ip" sortable={false} emptyText="—" />
      </Datagrid>
    </List>
  );
}
