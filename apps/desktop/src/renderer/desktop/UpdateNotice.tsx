import { useEffect, useState } from 'react';
import { IconButton, Tooltip } from '@mui/material';
import SystemUpdateAltIcon from '@mui/icons-material/SystemUpdateAlt';
import { Confirm, useTranslate } from 'react-admin';
import type { UpdateState } from '../../shared/ipc.ts';
import { useConnection } from '../connection/ConnectionContext.tsx';

/**
 * App bar button shown once the desktop app downloaded an update (main process, auto-update.ts).
 * Nothing installs until the user confirms the restart; the browser build never shows it.
 */
export function UpdateNotice() {
  const { connection } = useConnection();
  const desktop = connection.desktop;
  const translate = useTranslate();
  const [state, setState] = useState<UpdateState | null>(null);
  const [asking, setAsking] = useState(false);

  useEffect(() => {
    if (!desktop?.getUpdateState || !desktop.onUpdateState) return;
    let active = true;
    const stop = desktop.onUpdateState((next) => active && setState(next));
    void desktop.getUpdateState().then(
      (current) => active && setState(current),
      () => undefined,
    );
    return () => {
      active = false;
      stop();
    };
  }, [desktop]);

  if (state?.status !== 'ready' || !desktop?.installUpdate) return null;
  const label = translate('mcart.desktop.update_ready', { version: state.version });
  return (
    <>
      <Tooltip title={label}>
        <IconButton color="inherit" aria-label={label} onClick={() => setAsking(true)}>
          <SystemUpdateAltIcon />
        </IconButton>
      </Tooltip>
      <Confirm
        isOpen={asking}
        title="mcart.desktop.update_title"
        content="mcart.desktop.update_confirm"
        translateOptions={{ version: state.version }}
        confirm="mcart.desktop.update_restart"
        onConfirm={() => {
          setAsking(false);
          void desktop.installUpdate?.();
        }}
        onClose={() => setAsking(false)}
      />
    </>
  );
}
