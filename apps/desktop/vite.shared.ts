import react from '@vitejs/plugin-react';
import type { BuildEnvironmentOptions, PluginOption } from 'vite';

/** What the browser build (served at /admin/) and the Electron renderer build have in common. */
export const rendererPlugins = (): PluginOption[] => [react()];

// react-admin pulls in MUI, TanStack Query, react-hook-form and react-router: splitting them into
// stable vendor chunks keeps the app chunk small and lets browsers cache vendors across releases.
export const rendererChunking: BuildEnvironmentOptions['rolldownOptions'] = {
  output: {
    codeSplitting: {
      groups: [
        { name: 'vendor-react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 30 },
        {
          name: 'vendor-mui',
          test: /node_modules[\\/](@mui|@emotion|@popperjs|react-transition-group)[\\/]/,
          priority: 20,
        },
        {
          name: 'vendor-charts',
          test: /node_modules[\\/](recharts|d3-[a-z]+|victory-vendor)[\\/]/,
          priority: 20,
        },
        { name: 'vendor-admin', test: /node_modules[\\/]/, priority: 10 },
      ],
    },
  },
};
