import { useState } from 'react';
import { Badge, IconButton, ListItemText, Menu, MenuItem, Tooltip, Typography } from '@mui/material';
import NotificationsIcon from '@mui/icons-material/Notifications';
import { useNavigate } from 'react-router-dom';
import { useTranslate } from 'react-admin';
import { useLive } from '../live/LiveProvider.tsx';

/** New orders and low-stock alerts received live during this session. */
export function NotificationBell() {
  const live = useLive();
  const translate = useTranslate();
  const navigate = useNavigate();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [seen, setSeen] = useState(0);
  const alerts = live?.alerts ?? [];
  const unseen = Math.max(0, alerts.length - seen);
  const label = translate('mcart.live.notifications');

  return (
    <>
      <Tooltip title={label}>
        <IconButton
          color="inherit"
          aria-label={label}
          data-testid="notification-bell"
          onClick={(event) => {
            setAnchor(event.currentTarget);
            setSeen(alerts.length);
          }}
        >
          <Badge badgeContent={unseen} color="error">
            <NotificationsIcon />
          </Badge>
        </IconButton>
      </Tooltip>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        {alerts.length === 0 && (
          <MenuItem disabled>
            <Typography variant="body2">{translate('mcart.live.no_notifications')}</Typography>
          </MenuItem>
        )}
        {alerts.map((alert) => (
          <MenuItem
            key={alert.id}
            onClick={() => {
              setAnchor(null);
              navigate(alert.link);
            }}
          >
            <ListItemText
              primary={translate(alert.messageKey, alert.values)}
              secondary={new Date(alert.at).toLocaleTimeString()}
            />
          </MenuItem>
        ))}
        {alerts.length > 0 && (
          <MenuItem
            onClick={() => {
              live?.clearAlerts();
              setSeen(0);
              setAnchor(null);
            }}
          >
            <Typography variant="body2" color="text.secondary">
              {translate('mcart.live.clear')}
            </Typography>
          </MenuItem>
        )}
      </Menu>
    </>
  );
}

/** A small dot that says whether live updates are flowing. */
export function LiveStatusIndicator() {
  const live = useLive();
  const translate = useTranslate();
  const status = live?.status ?? 'connecting';
  const color = status === 'live' ? 'success.main' : status === 'connecting' ? 'warning.main' : 'error.main';
  const label = translate(`mcart.live.status_${status.replace('-', '_')}`);
  return (
    <Tooltip title={label}>
      <Typography
        component="span"
        role="status"
        aria-label={label}
        data-testid="live-status"
        data-status={status}
        sx={{ width: 10, height: 10, borderRadius: '50%', bgcolor: color, display: 'inline-block', mx: 1 }}
      />
    </Tooltip>
  );
}
