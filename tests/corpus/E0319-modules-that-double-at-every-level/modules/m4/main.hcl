# Level 4: two calls of the next level.
module "left" {
  source = "../m5"
}

module "right" {
  source = "../m5"
}
