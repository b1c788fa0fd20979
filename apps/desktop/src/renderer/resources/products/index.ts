import CategoryIcon from '@mui/icons-material/Category';
import type { RegisteredResource, ResourceModule } from '../registry.ts';
import { ProductCreate } from './ProductCreate.tsx';
import { ProductEdit } from './ProductEdit.tsx';
import { ProductList } from './ProductList.tsx';
import { productRoutes } from './routes.tsx';

/** Products: list with search, filters, bulk actions and CSV; create; edit in tabs. */
const products: ResourceModule & Pick<RegisteredResource, 'children'> = {
  list: ProductList,
  create: ProductCreate,
  edit: ProductEdit,
  icon: CategoryIcon,
  recordRepresentation: 'title',
  children: productRoutes,
};
export default products;
