# Level 7: two calls of the next level.
module "left" {
  source = "../m8"
}

module "right" {
  source = "../m8"
}
