import type { EntityManager } from '@mikro-orm/postgresql';
import { ProductSchema } from './catalog.entities.ts';
import { CatalogService, type NewVariant } from './catalog.service.ts';
import { CategoriesService } from './categories.service.ts';
import { SalesService } from '../pricing/sales.service.ts';

const SIZES = ['S', 'M', 'L'];

/**
 * A small demo store for `npm start` on an empty database: a category tree, a dozen products with
 * variants, and one running sale. Goes through the same services as staff edits (events included).
 */
export async function seedDemoCatalog(em: EntityManager, currency: string): Promise<boolean> {
  if (await em.count(ProductSchema, {})) return false;
  const categories = new CategoriesService(em);
  const clothing = await categories.create({ name: 'Clothing', position: 0 });
  const tshirts = await categories.create({ name: 'T-shirts', parentId: clothing.id, position: 0 });
  const hoodies = await categories.create({ name: 'Hoodies', parentId: clothing.id, position: 1 });
  const accessories = await categories.create({ name: 'Accessories', position: 1 });
  const home = await categories.create({ name: 'Home', position: 2 });

  const money = (amount: number) => ({ amount, currency });
  const sized = (prefix: string, price: number, colours: string[]): NewVariant[] =>
    colours.flatMap((colour) =>
      SIZES.map((size) => ({
        sku: `${prefix}-${colour.toUpperCase()}-${size}`,
        title: `${colour} / ${size}`,
        options: { size, colour: colour.toLowerCase() },
        price: money(price),
        weightGrams: 200,
      })),
    );
  const single = (sku: string, price: number, compareAt?: number): NewVariant[] => [
    {
      sku,
      title: 'Default',
      price: money(price),
      ...(compareAt ? { compareAtPrice: money(compareAt) } : {}),
    },
  ];

  const catalog = new CatalogService(em, currency);
  const products: {
    title: string;
    description: string;
    categoryIds: string[];
    attributes?: Record<string, string>;
    variants: NewVariant[];
  }[] = [
    {
      title: 'Classic Cotton T-shirt',
      description: 'A soft everyday tee in organic cotton.',
      categoryIds: [tshirts.id],
      attributes: { material: 'cotton' },
      variants: sized('TSH-CLASSIC', 1900, ['White', 'Black', 'Red']),
    },
    {
      title: 'Striped Breton T-shirt',
      description: 'Navy and white stripes, a seaside classic.',
      categoryIds: [tshirts.id],
      attributes: { material: 'cotton' },
      variants: sized('TSH-BRETON', 2900, ['Navy']),
    },
    {
      title: 'Merino Wool T-shirt',
      description: 'Fine merino that breathes on hot days and warms on cold ones.',
      categoryIds: [tshirts.id],
      attributes: { material: 'wool' },
      variants: sized('TSH-MERINO', 5900, ['Grey', 'Black']),
    },
    {
      title: 'Zip Hoodie',
      description: 'Heavyweight fleece with a full zip and two pockets.',
      categoryIds: [hoodies.id],
      attributes: { material: 'fleece' },
      variants: sized('HOOD-ZIP', 6900, ['Grey', 'Green']),
    },
    {
      title: 'Pullover Hoodie',
      description: 'A cosy pullover hoodie with a kangaroo pocket.',
      categoryIds: [hoodies.id],
      attributes: { material: 'cotton' },
      variants: sized('HOOD-PULL', 5900, ['Black', 'Blue']),
    },
    {
      title: 'Canvas Tote Bag',
      description: 'Sturdy canvas tote for groceries and books.',
      categoryIds: [accessories.id],
      attributes: { material: 'canvas' },
      variants: single('ACC-TOTE', 1500),
    },
    {
      title: 'Wool Beanie',
      description: 'Ribbed knit beanie, one size.',
      categoryIds: [accessories.id, clothing.id],
      attributes: { material: 'wool' },
      variants: single('ACC-BEANIE', 2400, 2900),
    },
    {
      title: 'Leather Belt',
      description: 'Full-grain leather belt with a brass buckle.',
      categoryIds: [accessories.id],
      attributes: { material: 'leather' },
      variants: single('ACC-BELT', 4500),
    },
    {
      title: 'Ceramic Mug',
      description: 'Stoneware mug, 350 ml, dishwasher safe.',
      categoryIds: [home.id],
      attributes: { material: 'ceramic' },
      variants: single('HOME-MUG', 1200),
    },
    {
      title: 'Linen Cushion Cover',
      description: 'Washed linen cushion cover, 45 x 45 cm.',
      categoryIds: [home.id],
      attributes: { material: 'linen' },
      variants: single('HOME-CUSHION', 2800),
    },
    {
      title: 'Scented Candle',
      description: 'Soy wax candle with cedar and amber, 40 hours.',
      categoryIds: [home.id],
      variants: single('HOME-CANDLE', 2200),
    },
    {
      title: 'Throw Blanket',
      description: 'A warm wool throw for the sofa.',
      categoryIds: [home.id],
      attributes: { material: 'wool' },
      variants: single('HOME-THROW', 8900, 9900),
    },
  ];
  for (const product of products) {
    await catalog.createProduct({ ...product, status: 'active', weightGrams: 300 });
  }
  const day = 24 * 60 * 60 * 1000;
  await new SalesService(em).create({
    name: 'Hoodie season',
    discountType: 'percent',
    discountValue: 20,
    startsAt: new Date(Date.now() - day),
    endsAt: new Date(Date.now() + 30 * day),
    categoryIds: [hoodies.id],
  });
  return true;
}
