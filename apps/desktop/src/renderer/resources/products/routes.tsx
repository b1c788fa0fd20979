import { Authenticated } from 'react-admin';
import { Route } from 'react-router-dom';
import { ProductImport } from './ProductImport.tsx';

/** `/products/import`: a static segment, so it wins over the `/products/:id` edit route. */
export const productRoutes = (
  <Route
    path="import"
    element={
      <Authenticated>
        <ProductImport />
      </Authenticated>
    }
  />
);
