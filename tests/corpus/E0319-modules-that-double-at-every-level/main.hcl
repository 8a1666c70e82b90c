# expect: E0319 modules/m13/main.hcl:2
# Each module calls the next one twice: 14 levels would make 2^15 - 2 instances, past the
# bound of 10,000, which the first chain of `left` calls reaches at level 13.
azure {
  subscription_id = "1a1d4e13-74c0-4d8d-ad95-4a9df4786560"
  resource_group  = "rg-modules"
  location        = "eastus"
}

module "left" {
  source = "./modules/m1"
}

module "right" {
  source = "./modules/m1"
}
