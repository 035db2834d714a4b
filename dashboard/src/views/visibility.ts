// Whether the view a component belongs to is the one on screen. Views once
// opened stay mounted (App.tsx keeps them, hidden, so going back to one shows
// its drawn charts at once); a hidden view's panels do not count for the
// interaction measure, and it does not mark first paint.

import { createContext, useContext } from 'react';

export const ViewVisibleContext = createContext(true);

export const useViewVisible = (): boolean => useContext(ViewVisibleContext);
