import AccountTreeIcon from '@mui/icons-material/AccountTree';
import type { ResourceModule } from '../registry.ts';
import { CategoryCreate, CategoryEdit, CategoryList } from './CategoryViews.tsx';

const categories: ResourceModule = {
  list: CategoryList,
  create: CategoryCreate,
  edit: CategoryEdit,
  icon: AccountTreeIcon,
  recordRepresentation: 'name',
};
export default categories;
